"""A JSON schema for the SARIF 2.1.0 that kmigrate writes, written here from the standard.

It states the constraints of the OASIS SARIF 2.1.0 specification (and what GitHub code scanning
reads) for every object kmigrate emits: required properties, enumerations, ranges, formats.
Each object is closed (``additionalProperties: false``) over the properties the specification
defines for it, so a misspelt or invented property fails the tests, which the official schema
(open objects) would let pass. Maintainers can also validate against the official schema by
pointing ``KMIGRATE_SARIF_SCHEMA`` at a copy of ``sarif-schema-2.1.0.json``.
"""

from __future__ import annotations

LEVELS = ["none", "note", "warning", "error"]


def _closed(properties: dict, required: tuple[str, ...] = (), **extra: object) -> dict:
    schema: dict = {"type": "object", "properties": properties, "additionalProperties": False, **extra}
    if required:
        schema["required"] = list(required)
    return schema


_STRING = {"type": "string"}
_URI = {"type": "string", "format": "uri"}
_URI_REFERENCE = {"type": "string", "format": "uri-reference"}
_PROPERTY_BAG = {
    "type": "object",
    "properties": {"tags": {"type": "array", "items": _STRING, "uniqueItems": True}},
}
_MESSAGE = _closed(
    {"text": _STRING, "markdown": _STRING, "id": _STRING, "arguments": {"type": "array", "items": _STRING},
     "properties": _PROPERTY_BAG},
    anyOf=[{"required": ["text"]}, {"required": ["id"]}],
)  # fmt: skip
_MULTIFORMAT = _closed({"text": _STRING, "markdown": _STRING, "properties": _PROPERTY_BAG}, ("text",))
_ARTIFACT_LOCATION = _closed(
    {"uri": _URI_REFERENCE, "uriBaseId": _STRING, "index": {"type": "integer", "minimum": -1},
     "description": _MESSAGE, "properties": _PROPERTY_BAG},
)  # fmt: skip
_POSITIVE = {"type": "integer", "minimum": 1}
_REGION = _closed(
    {"startLine": _POSITIVE, "startColumn": _POSITIVE, "endLine": _POSITIVE, "endColumn": _POSITIVE,
     "charOffset": {"type": "integer", "minimum": -1}, "charLength": {"type": "integer", "minimum": 0},
     "byteOffset": {"type": "integer", "minimum": -1}, "byteLength": {"type": "integer", "minimum": 0},
     "snippet": _closed({"text": _STRING}), "message": _MESSAGE, "sourceLanguage": _STRING,
     "properties": _PROPERTY_BAG},
)  # fmt: skip
_PHYSICAL_LOCATION = _closed(
    {"artifactLocation": _ARTIFACT_LOCATION, "region": _REGION, "contextRegion": _REGION,
     "properties": _PROPERTY_BAG},
    anyOf=[{"required": ["artifactLocation"]}, {"required": ["address"]}],
)  # fmt: skip
_LOCATION = _closed(
    {"id": {"type": "integer", "minimum": -1}, "physicalLocation": _PHYSICAL_LOCATION, "message": _MESSAGE,
     "properties": _PROPERTY_BAG},
)  # fmt: skip
_REPLACEMENT = _closed(
    {"deletedRegion": _REGION, "insertedContent": _closed({"text": _STRING, "binary": _STRING}),
     "properties": _PROPERTY_BAG},
    ("deletedRegion",),
)  # fmt: skip
_ARTIFACT_CHANGE = _closed(
    {"artifactLocation": _ARTIFACT_LOCATION,
     "replacements": {"type": "array", "minItems": 1, "items": _REPLACEMENT}, "properties": _PROPERTY_BAG},
    ("artifactLocation", "replacements"),
)  # fmt: skip
_FIX = _closed(
    {"description": _MESSAGE,
     "artifactChanges": {"type": "array", "minItems": 1, "uniqueItems": True, "items": _ARTIFACT_CHANGE},
     "properties": _PROPERTY_BAG},
    ("artifactChanges",),
)  # fmt: skip
_RESULT = _closed(
    {"ruleId": _STRING, "ruleIndex": {"type": "integer", "minimum": -1}, "level": {"enum": LEVELS},
     "kind": {"enum": ["notApplicable", "pass", "fail", "review", "open", "informational"]},
     "message": _MESSAGE, "locations": {"type": "array", "items": _LOCATION},
     "partialFingerprints": {"type": "object", "additionalProperties": _STRING},
     "fingerprints": {"type": "object", "additionalProperties": _STRING},
     "fixes": {"type": "array", "uniqueItems": True, "items": _FIX}, "properties": _PROPERTY_BAG},
    ("message",),
)  # fmt: skip
_REPORTING_DESCRIPTOR = _closed(
    {"id": _STRING, "name": _STRING, "shortDescription": _MULTIFORMAT, "fullDescription": _MULTIFORMAT,
     "help": _MULTIFORMAT, "helpUri": _URI,
     "defaultConfiguration": _closed(
         {"enabled": {"type": "boolean"}, "level": {"enum": LEVELS},
          "rank": {"type": "number", "minimum": -1, "maximum": 100}, "properties": _PROPERTY_BAG}),
     "properties": _PROPERTY_BAG},
    ("id",),
)  # fmt: skip
_DRIVER = _closed(
    {"name": _STRING, "fullName": _STRING, "version": _STRING, "semanticVersion": _STRING,
     "informationUri": _URI, "organization": _STRING,
     "rules": {"type": "array", "uniqueItems": True, "items": _REPORTING_DESCRIPTOR},
     "properties": _PROPERTY_BAG},
    ("name",),
)  # fmt: skip
_RUN = _closed(
    {"tool": _closed({"driver": _DRIVER, "properties": _PROPERTY_BAG}, ("driver",)),
     "invocations": {"type": "array", "items": {
         "type": "object", "required": ["executionSuccessful"],
         "properties": {"executionSuccessful": {"type": "boolean"},
                        "toolExecutionNotifications": {"type": "array"}, "properties": _PROPERTY_BAG}}},
     "originalUriBaseIds": {"type": "object", "additionalProperties": _ARTIFACT_LOCATION},
     "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
     "results": {"type": "array", "items": _RESULT}, "properties": _PROPERTY_BAG},
    ("tool",),
)  # fmt: skip
SARIF_2_1_0 = _closed(
    {"$schema": _URI, "version": {"enum": ["2.1.0"]},
     "runs": {"type": ["array", "null"], "items": _RUN}, "properties": _PROPERTY_BAG},
    ("version", "runs"),
    **{"$schema": "http://json-schema.org/draft-04/schema#"},
)  # fmt: skip
