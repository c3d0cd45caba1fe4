"""The sentence of each problem code, worded once: a check reports a location, a code and its facts (problems.report),
and the message is made here from the facts, as botocore's ValidationErrors words each (reason, name, **kwargs) in
one _format_error. Each template names the facts it uses; `source` says where the rule comes from.

A code whose facts name a `reason` is worded by `code/reason` (one code, a sentence per reason). Every family of
checks words its problems here: decoding, the options, the input bounds, the image, layer 1 (botocore's model),
SageMaker's rules (layers 2 and 3), the XGBoost container, the way back, what the local engine cannot run, the spec
files (cli/specs.py) and the Flyte task the connector reads. What is not a problem of the input is written where it
is said: the command line's usage errors, and the local engine's answers in SageMaker's own error wording.
"""

from __future__ import annotations

# The XGBoost container's refusals (checks/xgboost_container.py). Every one ends with {hint}, the releases that would
# take it or why no release of the tables was chosen, and the source release of the rule.
_XGBOOST_END = "{hint} (source: {source})"
WORDING: dict[str, str] = {
    "xgboost.unknown_hyperparameter": "{name} is not a hyperparameter of built-in {release}{suggestion}; the container "
                                      "stops with \"Extraneous hyperparameter found\"" + _XGBOOST_END,
    "xgboost.value_format": "{value} {why}; {hyperparameter} takes {allowed}" + _XGBOOST_END,
    "xgboost.value_range": "{why}: the container of {release} refuses it" + _XGBOOST_END,
    "xgboost.range_kind": "{name} is {allowed}; a {range_kind} range cannot feed it" + _XGBOOST_END,
    "xgboost.not_tunable": "the container's metadata of {release} does not list {name} as tunable" + _XGBOOST_END,
    "xgboost.dependency": "{why}" + _XGBOOST_END,
    "xgboost.tuning_metric": "{metric} is not a metric the container of {release} can tune on{suggestion}: SageMaker "
                             "hands it over as _tuning_objective_metric, which takes only validation:<metric> names "
                             "(validation:auc, validation:rmse...)" + _XGBOOST_END,
    # Why the XGBoost container refuses one value (problems.Reason, from checks/xgboost_validators.py and the
    # toolkit's parse() and validate_range() in checks/xgboost_container.py): the `why` of the three problems above,
    # and the local engine's complaint when a training job fails as the container would.
    "why.unparsable": "cannot be read as {form} (the container parses it with {how})",
    "why.not_kind": "is not a {kind}",
    "why.not_allowed": "{value} is not {allowed}",
    "why.user_metric": "{metric}: user-defined evaluation metrics are not supported",
    "why.threshold_metric": "{metric}: a threshold (@t) goes only with {metrics}",
    "why.threshold_number": "{metric}: the threshold after @ must be a number",
    "why.unknown_metric": "{metric} is not a metric this container computes{suggestion}",
    "why.linear_updater": "booster gblinear takes exactly one updater, one of {updaters}",
    "why.update_updaters": "process_type update takes only the updaters {updaters}",
    "why.tree_updaters": "a tree booster takes only the tree updaters {updaters}",
    "why.one_grow_updater": "only one tree grow updater may be selected: {updaters}",
    "why.num_class": "objective {objective} needs num_class",
    "why.auc_objective": "eval_metric auc applies only to classification and ranking objectives (binary:, rank:), "
                         "not {objective}",
    "why.auc_needs_objective": "eval_metric auc needs an objective (binary: or rank:); without one the container fails",
    "why.eval_metric_needs_objective": "eval_metric needs an objective: this container reads it for any eval_metric "
                                       "and fails without one",
    "why.aft_objective": "eval_metric aft-nloglik applies only to objective survival:aft, not {objective}",
    "why.tree_method": "{hyperparameter} needs tree_method set to {methods}",
    # The bounds every input is held to (bounds.py).
    "input.too_many_values": "holds more than {limit:,} values once nested and repeated parts are counted (YAML aliases "
                             "repeat them); a tuning job needs far fewer",
    "input.too_deep": "nests more than {limit} levels of lists and objects (or holds itself)",
    "input.not_plain_data": "must be plain data (text, numbers, booleans, null, lists and objects), got {type}",
    "input.bad_value/integer_too_large": "is an integer of about {digits:,} digits, too large for any field",
    "input.bad_value/lone_surrogate": "holds a lone surrogate ({character}), which is not valid Unicode text",
    "input.bad_key/integer_too_large": "the name is an integer of about {digits:,} digits, too large for any field",
    "input.bad_key/lone_surrogate": "the name holds a lone surrogate ({character}), which is not valid Unicode text",
    "input.too_large": "is {size:,} bytes; {what} larger than {limit_mib} MiB is refused (a real one is a few KiB)",
    # The training image (mapping/render.py).
    "custom.image_required": "algorithm CUSTOM needs training_image: the ECR URI of your training container",
    "xgboost.version_newer": "XGBoost {version} is newer than the newest this version of sagemaker-bridge knows "
                             "({newest}); its image is named by that tag, and of its hyperparameters only what every "
                             "known release refuses is refused",
    "xgboost.version": "XGBoost {version} is not a SageMaker XGBoost version; use one of {known} (or a newer one in "
                       "full, such as 3.4-1)",
    "xgboost.region/unpublished": "built-in XGBoost needs region to find its image; {region} has no SageMaker XGBoost "
                                  "image",
    "xgboost.region/missing": "built-in XGBoost needs region to find its image; pass region (for example us-east-1) "
                              "or training_image",
    # SageMaker's server-side rules and the warnings for likely mistakes (checks/rules.py); `source` names the
    # developer guide page of the rule, as rules.py lists them ([limits], [ranges], [strategy], [metrics], [spot]...).
    "ranges.too_many": "has {count} hyperparameter ranges; SageMaker searches at most {limit} at once",
    "range.min_above_max": "{low} is greater than MaxValue {high}",
    "range.log_not_positive": "Logarithmic scaling needs every value > 0, but MinValue is {low}; raise it or use "
                              "Linear scaling",
    "range.reverse_log_integer": "ReverseLogarithmic scaling is only for continuous ranges; use Linear or Logarithmic",
    "range.reverse_log_bounds": "ReverseLogarithmic scaling needs 0 <= MinValue and MaxValue < 1, got [{low}, {high}]",
    "range.not_a_number": "{value} is not {expected}",
    "range.not_finite": "must be a finite number, got {value}",
    "hyperparameters.too_many": "static and tuned hyperparameters number {count}; SageMaker allows {limit}",
    "limits.max_jobs_required": "is required with the {strategy} strategy (only Grid may leave it out); set at least 1",
    "ranges.not_enough_combinations/no_ranges": "is {max_jobs}, but the ranges allow no hyperparameter ranges; lower "
                                                "it to {total} or widen the ranges",
    "ranges.not_enough_combinations/few": "is {max_jobs}, but the ranges allow only {total} combinations of "
                                          "hyperparameter values; lower it to {total} or widen the ranges",
    "grid.max_jobs": "is {max_jobs}; Grid runs every one of the {total} combinations",
    "xgboost.metric": "{metric} is not a metric built-in XGBoost emits (for example validation:auc or "
                      "validation:rmse); define it in MetricDefinitions if your script logs it",
    "custom.metric_undefined": "{metric} is not defined in MetricDefinitions; SageMaker needs a regex to read the "
                               "objective metric from a custom image's logs",
    "hyperband.config_without_hyperband": "is only for the Hyperband strategy, but Strategy is {strategy}",
    "hyperband.early_stopping": "must be Off with Hyperband, which stops poor training jobs itself",
    "hyperband.min_above_max": "{low} is greater than MaxResource {high}",
    "hyperband.max_resource": "is needed with Hyperband unless a static hyperparameter gives the epochs "
                              "({epoch_names})",
    "grid.numeric_range": "the Grid strategy takes only CategoricalParameterRanges; list the values you want as a "
                          "categorical range or use another strategy",
    "spot.max_wait_required": "is required with EnableManagedSpotTraining",
    "spot.max_wait_too_short": "{wait} is less than MaxRuntimeInSeconds {runtime}",
    "objective.direction/maximize": "{given} {metric}: this metric is better when higher; did you mean {expected}?",
    "objective.direction/minimize": "{given} {metric}: this metric is better when lower; did you mean {expected}?",
    "limits.parallel_above_total": "{parallel} is more than MaxNumberOfTrainingJobs {total}; at most {total} will ever "
                                   "run",
    "limits.quota_parallel": "{parallel} is above SageMaker's default quota of {quota}; make sure your account's "
                             "quota was raised",
    "limits.quota_jobs": "{total} is above SageMaker's default quota of {quota} training jobs per tuning job",
    # Layer 1: the request against botocore's model of CreateHyperParameterTuningJob (checks/aws_model.py). A map's
    # name gets its own problem's sentence, said of the name (ctx "of": "name").
    "model.null": "is null, which SageMaker refuses; leave it out or give a value ({shape})",
    "model.type": "must be {expected}, got {got}",
    "model.required": "is required by {shape}",
    "model.unknown": "is not a member of {shape}{suggestion}",
    "model.min_length": "must have at least {limit} {unit}, has {size}",
    "model.max_length": "must have at most {limit} {unit}, has {size}",
    "model.empty": "is empty; give a value",
    "model.enum/listed": "{value} is not valid{suggestion}; use {allowed}",
    "model.enum/many": "{value} is not valid{suggestion}; use one of the {count} {shape} values",
    "model.pattern": "{value} does not match the pattern SageMaker requires: {pattern}",
    "model.not_finite": "must be a finite number, got {value}",
    "model.min": "must be at least {limit}, got {value}",
    "model.max": "must be at most {limit}, got {value}",
    "model.max/word": "must be at most {limit} (a {bits}-bit {type}), got {value}",
    # translate()'s keyword arguments (mapping/options.py).
    "option.unknown": "is not an option of translate(); options are {options}",
    "option.required": "is required",
    "option.type": "must be {expected}, got {got}",
    "option.type/name": "the name must be a string, got {got}",
    "option.type/tag": 'must be {{"Key": str, "Value": str}}',
    "option.type/member_name": "names a request member, so it must be text, got {got}",
    "static.name": "the name must be a string, got {got}",
    "static.value/not_finite": "must be a finite number, got {value}",
    "static.value/null": "has no value (null); give a value or leave the hyperparameter out",
    "static.value/not_json": "must hold only JSON values (strings, finite numbers, booleans, lists, objects): {why}",
    "static.value/type": "must be a string, number, boolean, list or object, got {got}",
    # The way back: a request or description read as a Flyte spec (mapping/reverse.py).
    "request.type": "must be a CreateHyperParameterTuningJob request (an object), got {got}",
    "input.bad_key/not_text": "the name must be text, got {got}",
    "reverse.several_definitions": "Flyte's HyperparameterTuningJob describes one training job; give a single "
                                   "TrainingJobDefinition",
    "reverse.no_definition": "is required to describe the training job",
    "reverse.autotune": "SageMaker chooses the ranges and strategy under Autotune; Flyte's config states them",
    "reverse.algorithm_name": "an algorithm resource has no training image for Flyte's CUSTOM or XGBOOST algorithm",
    "reverse.no_image": "is needed: Flyte's job names its algorithm by a training image",
    "reverse.channel_source": "only S3 channels can be Flyte inputs (this one reads a file system)",
    # Decoding Flyte's messages in any form (idl/decode.py, idl/model.py).
    "input.wrong_message": "expected a {expected} message, got {got}",
    "input.json": "is not valid JSON for a {message}: {why}",
    "input.type": "must be {expected}, got {got}",
    "input.type/scalar": "must be {expected}, got {got} {value}",
    "input.type/boolean": "must be {expected}, got a boolean",
    "input.type/double_range": "is too large for a double",
    "input.type/int64_range": "is out of the int64 range",
    "input.map_key": "a name must be a non-empty string",
    "input.duplicate_range": "is also in config.hyperparameter_ranges; give each range once",
    "input.protobuf_missing": "{why}",
    "input.protobuf": "{why}",
    "input.unknown_field": "is not a field of {message}{suggestion}; its fields are {fields}",
    "input.duplicate_field": "is given twice (as {first} and {second})",
    "input.oneof": "sets {members}, but only one of {group} may be set",
    "input.too_many_values/repeated": "holds more than {limit:,} values; a tuning job needs far fewer",
    "input.enum/name": "{value} is not a {enum}{suggestion}; use one of {allowed}",
    "input.enum/number": "must be one of {allowed} (or 0-{last}), got {got} {value}",
    "input.empty_range": "sets no range; give one of continuous_parameter_range, integer_parameter_range or "
                         "categorical_parameter_range",
    # What the local engine cannot run (local/plan.py).
    "local.definitions": "the local engine runs one TrainingJobDefinition; give TrainingJobDefinition instead",
    "local.unsupported/afresh": "{what} does not run locally: the local engine starts every tuning job afresh from "
                                "its own request",
    "local.unsupported/kfold": "cross-validation (_kfold) does not run locally",
    "local.image/not_xgboost": "the local engine runs SageMaker's built-in XGBoost only (algorithm mode), not {image}; "
                               "run this job on SageMaker",
    "local.image/script_mode": "script mode (your own training script) does not run locally: the local engine runs "
                               "built-in XGBoost in algorithm mode only",
    "local.s3/output": "{uri} is not on this machine: the local engine writes models to a local directory "
                       "(--output-path ./models, or file:///path)",
    "local.s3/channel": "channel {channel} reads {uri}, which is not on this machine: the local engine has no network "
                        "(--input {channel}=./data/{channel}, or file:///path)",
    "local.channel/objective": "the objective {metric} is computed on the {channel} channel, which the request does "
                               "not give (--input {channel}=./data/{channel})",
    "local.channel/train": "no train channel: built-in XGBoost trains on the channel named train (--input "
                           "train=./data/train)",
    "local.data/missing": "channel {channel}: {path} does not exist",
    "local.data/no_files": "channel {channel}: {path} holds no files",
    "local.data/empty": "channel {channel}: {path} holds only empty files",
    "local.data/unreadable": "channel {channel}: cannot read {path} ({why})",
    # XGBoost's needs that hold for every release (checks/xgboost_container.py), and the rest of rendering.
    "xgboost.num_round": "built-in XGBoost needs num_round, as a static hyperparameter or a tuned range",
    "xgboost.channel/train": "has no {channel} channel; built-in XGBoost needs it to train, so every training job "
                             "would fail",
    "xgboost.channel/validation": "has no {channel} channel; built-in XGBoost needs it to compute {metric}, so every "
                                  "training job would fail",
    "static.tuned": "{name} is also tuned in config.hyperparameter_ranges; the static value is dropped",
    "internal": "sagemaker-bridge could not check this request ({exception})",
    # A spec file or the command line's parts (cli/specs.py), printed after the file's name.
    "spec.too_large": "larger than {limit_mib} MiB; a spec is a few KiB",
    "spec.not_text": "not text (YAML or JSON expected)",
    "spec.too_deep": "nests too deep to be a spec",
    "spec.not_yaml": "neither JSON nor YAML ({why})",
    "spec.unreadable": "cannot be read ({why})",
    "spec.not_a_mapping": "a spec is a mapping with keys job, config, job_name, role_arn, ...",
    "spec.unknown_keys": "unknown key(s) {keys}; a spec may hold {allowed}",
    "spec.no_message": "is missing: give a spec with a '{key}' key, or --{key} FILE",
    "spec.no_option": "is missing: give it in the spec, or --{flag}",
    "input.duplicate_key": "the key {key} is given twice in one object; keep one",
    # A Flyte task the connector cannot read, or cannot run with its settings (flyte/inputs.py, flyte/connector.py).
    "task.input": "cannot be read: {error}",
    "task.statics": "must be a struct of name -> value",
    "task.no_config": "is missing: the task needs its HyperparameterTuningJobConfig as this input",
    "task.extras/json": "is not JSON: {why}",
    "task.extras/object": "must be a JSON object",
    "task.no_role": "no IAM role: the execution's identity names none (iam_role) and the connector has no "
                    "SAGEMAKER_BRIDGE_ROLE_ARN",
    "task.output_path": "the task's output prefix {prefix} is not in S3 and the connector has no "
                        "SAGEMAKER_BRIDGE_OUTPUT_PATH",
    "task.generations": "this node already ran {limit} tuning jobs",
    "task.no_region": "no AWS region: set SAGEMAKER_BRIDGE_REGION (or AWS_REGION) for the connector",
}
