"""Protobuf forms of the Flyte messages (serialized bytes, message objects), decoded without flyteidl.

Current flyteidl releases no longer ship these messages, so the descriptor is built here from schema.py in a private
DescriptorPool: it never collides with an installed flyteidl, whose messages we read by re-serializing them.
Needs only `protobuf` (the optional extra), imported on first use.
"""

from __future__ import annotations

import functools
from typing import Any

from . import schema

_SCALAR_TYPES = {"double": 1, "int64": 3, "string": 9}  # FieldDescriptorProto.Type: TYPE_DOUBLE, TYPE_INT64, ...
_LABEL_OPTIONAL, _LABEL_REPEATED = 1, 3
_TYPE_MESSAGE, _TYPE_ENUM = 11, 14


class ProtobufMissing(ImportError):
    pass


def _import_protobuf() -> Any:
    try:
        from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
    except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
        raise ProtobufMissing("protobuf is not installed: pip install 'sagemaker-bridge[protobuf]'") from exc
    return descriptor_pb2, descriptor_pool, json_format, message_factory


def _file_descriptor(descriptor_pb2: Any) -> Any:
    fdp = descriptor_pb2.FileDescriptorProto(
        name="sagemaker_bridge/flyteidl_plugins_sagemaker.proto", package=schema.PACKAGE, syntax="proto3")
    for enum_name, values in schema.ENUMS.items():
        wrapper = fdp.message_type.add(name=enum_name)
        enum = wrapper.enum_type.add(name="Value")
        for number, value in enumerate(values):
            enum.value.add(name=value, number=number)
    for message_name, fields in schema.MESSAGES.items():
        msg = fdp.message_type.add(name=message_name)
        oneofs: list[str] = []
        for f in fields:
            fd = msg.field.add(name=f.name, number=f.number, json_name=f.json_name,
                               label=_LABEL_REPEATED if (f.repeated or f.map_value) else _LABEL_OPTIONAL)
            if f.map_value:
                entry = msg.nested_type.add(name=f.json_name[0].upper() + f.json_name[1:] + "Entry")
                entry.options.map_entry = True
                entry.field.add(name="key", number=1, label=_LABEL_OPTIONAL, type=_SCALAR_TYPES["string"],
                                json_name="key")
                entry.field.add(name="value", number=2, label=_LABEL_OPTIONAL, type=_TYPE_MESSAGE,
                                type_name=f".{schema.full_name(f.type)}", json_name="value")
                fd.type, fd.type_name = _TYPE_MESSAGE, f".{schema.full_name(message_name)}.{entry.name}"
            elif f.is_enum:
                fd.type, fd.type_name = _TYPE_ENUM, f".{schema.full_name(f.type)}.Value"
            elif f.is_message:
                fd.type, fd.type_name = _TYPE_MESSAGE, f".{schema.full_name(f.type)}"
            else:
                fd.type = _SCALAR_TYPES[f.type]
            if f.oneof:
                if f.oneof not in oneofs:
                    oneofs.append(f.oneof)
                    msg.oneof_decl.add(name=f.oneof)
                fd.oneof_index = oneofs.index(f.oneof)
    return fdp


@functools.cache
def message_class(message: str) -> Any:
    """The generated class for `message` (e.g. "HyperparameterTuningJob") from our private pool."""
    descriptor_pb2, descriptor_pool, _, message_factory = _import_protobuf()
    pool = _private_pool(descriptor_pb2, descriptor_pool)
    descriptor = pool.FindMessageTypeByName(schema.full_name(message))
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)  # pragma: no cover - protobuf < 4.22


@functools.cache
def _private_pool(descriptor_pb2: Any, descriptor_pool: Any) -> Any:
    pool = descriptor_pool.DescriptorPool()
    pool.Add(_file_descriptor(descriptor_pb2))
    return pool


def is_message(value: object) -> bool:
    return hasattr(value, "DESCRIPTOR") and hasattr(value, "SerializeToString")


def message_full_name(value: Any) -> str:
    return str(value.DESCRIPTOR.full_name)


def bytes_to_dict(data: bytes, message: str) -> dict[str, Any]:
    """Decode serialized `message` bytes to proto3 JSON (snake_case names); raises ValueError when not decodable."""
    _, _, json_format, _ = _import_protobuf()
    return dict(json_format.MessageToDict(parse(data, message), preserving_proto_field_name=True))


def parse(data: bytes, message: str) -> Any:
    """Serialized `message` bytes -> a message of our private class; raises ValueError when not decodable."""
    msg = message_class(message)()
    try:
        msg.ParseFromString(bytes(data))
    except Exception as exc:  # DecodeError and friends differ between protobuf's backends
        raise ValueError(f"not a serialized {message}: {exc}") from None
    if _has_unknown_fields(msg):
        raise ValueError(f"not a serialized {message}: it holds fields {message} does not define")
    return msg


def _has_unknown_fields(msg: Any) -> bool:
    """True when the bytes held fields our schema lacks: usually a different message (a job passed as a config)."""
    stripped = type(msg)()
    stripped.CopyFrom(msg)
    stripped.DiscardUnknownFields()
    return bool(stripped.SerializeToString(deterministic=True) != msg.SerializeToString(deterministic=True))


def message_to_dict(value: Any) -> dict[str, Any]:
    """Any protobuf message (a google.protobuf.Struct included) to its proto3 JSON dict."""
    _, _, json_format, _ = _import_protobuf()
    return dict(json_format.MessageToDict(value, preserving_proto_field_name=True))


def dict_to_bytes(value: dict[str, Any], message: str) -> bytes:
    """proto3 JSON -> serialized bytes: the binary form older flytekit sent (tests and fixtures make it with this)."""
    _, _, json_format, _ = _import_protobuf()
    msg = json_format.ParseDict(value, message_class(message)())
    return bytes(msg.SerializeToString(deterministic=True))
