"""Reference solution of the json_encoder exercise: JSON for dataclasses, datetimes,
dates, Decimals and sets, as tagged objects, and an object_hook that turns them back."""
import dataclasses
import datetime
import decimal
import json

TAG = "__type__"


class Encoder(json.JSONEncoder):
    """A JSONEncoder that also encodes the types JSON lacks, as {"__type__": ...} objects.

    json calls default() only for objects it cannot encode itself, and encodes whatever
    default() returns (so the values inside are encoded recursively, default() included).
    """

    def default(self, obj):
        # Instances only: is_dataclass() is also true for the dataclass itself.
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            # One level only: dataclasses.asdict() would turn nested dataclasses into
            # plain dicts, and they could not be decoded back into their classes.
            fields = {field.name: getattr(obj, field.name) for field in dataclasses.fields(obj)}
            return {TAG: "dataclass", "name": type(obj).__name__, "value": fields}
        # datetime is a subclass of date: test it first.
        if isinstance(obj, datetime.datetime):
            return {TAG: "datetime", "value": obj.isoformat()}
        if isinstance(obj, datetime.date):
            return {TAG: "date", "value": obj.isoformat()}
        if isinstance(obj, decimal.Decimal):
            # A string keeps every digit; a float would round 0.1 to 0.1000000000000000055...
            return {TAG: "decimal", "value": str(obj)}
        if isinstance(obj, frozenset):
            return {TAG: "frozenset", "value": sorted(obj)}
        if isinstance(obj, set):
            # Sorted: a set's iteration order is not stable from one run to the next.
            return {TAG: "set", "value": sorted(obj)}
        return super().default(obj)  # raises TypeError


def make_object_hook(*classes):
    """Return an object_hook for json.loads that decodes what Encoder encodes; the
    dataclasses it may rebuild are `classes`, found by their __name__."""
    by_name = {cls.__name__: cls for cls in classes}

    def object_hook(obj):
        # json calls the hook for every object, innermost first: the values inside
        # `obj` are already decoded.
        if TAG not in obj:
            return obj
        kind, value = obj[TAG], obj.get("value")
        if kind == "dataclass":
            name = obj.get("name")
            if name not in by_name:
                raise ValueError(f"unknown dataclass {name!r}: pass it to make_object_hook")
            return by_name[name](**value)
        if kind == "datetime":
            return datetime.datetime.fromisoformat(value)
        if kind == "date":
            return datetime.date.fromisoformat(value)
        if kind == "decimal":
            return decimal.Decimal(value)
        if kind == "set":
            return set(value)
        if kind == "frozenset":
            return frozenset(value)
        raise ValueError(f"unknown {TAG} {kind!r}")

    return object_hook


def dumps(obj, **kwargs):
    """json.dumps with Encoder; other keyword arguments go to json.dumps."""
    return json.dumps(obj, cls=Encoder, **kwargs)


def loads(text, *classes):
    """json.loads with make_object_hook(*classes)."""
    return json.loads(text, object_hook=make_object_hook(*classes))
