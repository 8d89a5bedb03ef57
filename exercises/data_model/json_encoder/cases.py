"""Cases for the json_encoder exercise (see README.md for the API they check).

Encodings are observed as json.dumps(value, cls=Encoder, sort_keys=True), so the key order
of a tagged object is free. Decoded values are observed through describe(), which turns
Decimals, dates, sets and dataclass instances into builtin values that keep their type:
a Decimal by its exact digits, a dataclass by its class name and fields.
"""
import dataclasses
import datetime
import decimal
import json

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["Encoder", "make_object_hook", "dumps", "loads"]


D = decimal.Decimal
UTC_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))


@dataclasses.dataclass
class Point:
    x: int
    y: int


@dataclasses.dataclass
class Line:
    start: Point
    end: Point
    label: str = ""


@dataclasses.dataclass
class Invoice:
    number: int
    total: decimal.Decimal
    due: datetime.date
    tags: set
    lines: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Money:
    amount: decimal.Decimal
    currency: str


CLASSES = (Point, Line, Invoice, Money)


def describe(value):
    """A builtin value that tells `value` apart from anything of another type."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        return [describe(item) for item in value]
    if type(value) is tuple:
        return ("tuple", [describe(item) for item in value])
    if type(value) is dict:
        return {str(key): describe(item) for key, item in value.items()}
    if type(value) is decimal.Decimal:
        return ("Decimal", str(value))
    if type(value) is datetime.datetime:
        return ("datetime", value.isoformat())
    if type(value) is datetime.date:
        return ("date", value.isoformat())
    if type(value) in (set, frozenset):
        return (type(value).__name__, sorted((describe(item) for item in value), key=repr))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: describe(getattr(value, field.name))
                  for field in dataclasses.fields(value)}
        return (f"dataclass {type(value).__name__}", fields)
    return ("object of type", type(value).__name__)


def encode(t, label, value):
    """The JSON text of `value` with the learner's Encoder, keys sorted."""
    return t.call(f"json.dumps({label}, cls=Encoder, sort_keys=True)",
                  builtin_errors(lambda: json.dumps(value, cls=t.module.Encoder,
                                                    sort_keys=True), TypeError))


def decode(t, label, text, *classes):
    """describe() of the learner's loads(text, *classes)."""
    names = "".join(f", {cls.__name__}" for cls in classes)
    return t.call(f"loads({label}{names})",
                  builtin_errors(lambda: describe(t.module.loads(text, *classes)), ValueError))


def round_trip(t, label, value, *classes):
    """Encode with the learner's Encoder, decode with their hook; check equality too."""
    text = encode(t, label, value)
    if text is None:
        return
    names = "".join(f", {cls.__name__}" for cls in classes)

    def back():
        result = json.loads(text, object_hook=t.module.make_object_hook(*classes))
        return describe(result), result == value

    t.call(f"json.loads(<that text>, object_hook=make_object_hook({names[2:]})) and == {label}",
           back)


# ---------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------


@case("a datetime is encoded as {'__type__': 'datetime', 'value': isoformat()}", points=2)
def encode_datetime(t):
    encode(t, "datetime(2024, 3, 1, 9, 30)", datetime.datetime(2024, 3, 1, 9, 30))
    encode(t, "datetime(2023, 12, 31, 23, 59, 59, 123456)",
           datetime.datetime(2023, 12, 31, 23, 59, 59, 123456))
    encode(t, "datetime(2024, 6, 1, 12, 0, tzinfo=UTC+2)",
           datetime.datetime(2024, 6, 1, 12, 0, tzinfo=UTC_PLUS_2))


@case("a date is encoded as 'date', a datetime (a subclass of date) as 'datetime'",
      points=3)
def encode_date(t):
    encode(t, "date(2024, 2, 29)", datetime.date(2024, 2, 29))
    encode(t, "[date(2024, 1, 2), datetime(2024, 1, 2, 3, 4, 5)]",
           [datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4, 5)])


@case("a Decimal is encoded as its str(), every digit kept", points=3)
def encode_decimal(t):
    for text in ("19.90", "0.1", "-0.001", "1E+3", "3.14159265358979323846264338327950288"):
        encode(t, f"Decimal({text!r})", D(text))


@case("sets and frozensets are encoded with their items sorted", points=2)
def encode_sets(t):
    encode(t, "{8, 1, 3}", {8, 1, 3})
    encode(t, "frozenset({'pear', 'apple', 'fig'})", frozenset({"pear", "apple", "fig"}))
    encode(t, "set()", set())
    encode(t, "{'tags': {'b', 'a'}, 'ids': frozenset({20, 10})}",
           {"tags": {"b", "a"}, "ids": frozenset({20, 10})})
    encode(t, "{Decimal('2.5'), Decimal('1.25')}", {D("2.5"), D("1.25")})


@case("a dataclass instance is encoded with its name and its fields", points=3)
def encode_dataclass(t):
    encode(t, "Point(1, 2)", Point(1, 2))
    encode(t, "Money(Decimal('9.99'), 'EUR')", Money(D("9.99"), "EUR"))


@case("dataclasses, Decimals, dates and sets inside a dataclass keep their tags", points=3)
def encode_nested(t):
    encode(t, "Line(Point(0, 0), Point(3, 4), 'diagonal')",
           Line(Point(0, 0), Point(3, 4), "diagonal"))
    invoice = Invoice(7, D("19.90"), datetime.date(2024, 3, 1), {"paid", "eu"},
                      [Money(D("10.00"), "EUR"), Money(D("9.90"), "EUR")])
    encode(t, "Invoice(7, Decimal('19.90'), date(2024, 3, 1), {'paid', 'eu'}, [Money...])",
           invoice)


@case("values JSON already knows are encoded as json.dumps encodes them")
def encode_plain(t):
    value = {"n": 1, "f": 0.5, "s": "é", "b": [True, None], "t": (1, 2), "d": {}}
    encode(t, repr(value), value)


@case("anything else raises TypeError, a dataclass class and default=str habits included",
      points=2)
def encode_others(t):
    for label, value in [("object()", object()), ("1 + 2j", 1 + 2j), ("b'bytes'", b"bytes"),
                         ("Point (the class)", Point), ("datetime.timedelta(1)",
                                                        datetime.timedelta(1))]:
        encode(t, label, value)
        t.call(f"Encoder().default({label})",
               builtin_errors(lambda value=value: t.module.Encoder().default(value),
                              TypeError), observe=False)


@case("dumps(obj, **kwargs) is json.dumps(obj, cls=Encoder, **kwargs)")
def dumps_passes_kwargs(t):
    value = {"b": D("1.5"), "a": [datetime.date(2020, 1, 1)]}
    t.call("dumps({'b': Decimal('1.5'), 'a': [date(2020, 1, 1)]}, sort_keys=True)",
           lambda: t.module.dumps(value, sort_keys=True))
    t.call("dumps(..., sort_keys=True, indent=2)",
           lambda: t.module.dumps(value, sort_keys=True, indent=2))
    t.call("dumps(Point(1, 2)) decoded by plain json.loads",
           lambda: json.loads(t.module.dumps(Point(1, 2))))


# ---------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------

TAGGED = [
    ('{"__type__": "datetime", "value": "2024-03-01T09:30:00"}', ()),
    ('{"__type__": "datetime", "value": "2024-06-01T12:00:00+02:00"}', ()),
    ('{"__type__": "date", "value": "2024-02-29"}', ()),
    ('{"__type__": "decimal", "value": "1.10"}', ()),
    ('{"__type__": "set", "value": [3, 1, 2]}', ()),
    ('{"__type__": "frozenset", "value": ["a"]}', ()),
    ('{"value": {"x": 1, "y": 2}, "name": "Point", "__type__": "dataclass"}', (Point,)),
]


@case("the hook turns every tagged object back into its type", points=3)
def decode_tags(t):
    for text, classes in TAGGED:
        decode(t, repr(text), text, *classes)


@case("nested tagged objects are decoded innermost first", points=2)
def decode_nested(t):
    text = ('{"__type__": "dataclass", "name": "Line", "value": {"label": "up", '
            '"start": {"__type__": "dataclass", "name": "Point", "value": {"x": 0, "y": 0}}, '
            '"end": {"__type__": "dataclass", "name": "Point", "value": {"x": 0, "y": 5}}}}')
    decode(t, "<a Line of two Points>", text, Point, Line)
    text = ('{"due": [{"__type__": "date", "value": "2024-01-31"}], '
            '"amounts": {"__type__": "set", "value": [{"__type__": "decimal", "value": "2.50"}]}}')
    decode(t, "<dates and Decimals in plain containers>", text)

    def classes_of_line():
        line = t.module.loads(
            '{"__type__": "dataclass", "name": "Line", "value": {"start": {"__type__": '
            '"dataclass", "name": "Point", "value": {"x": 1, "y": 1}}, "end": {"__type__": '
            '"dataclass", "name": "Point", "value": {"x": 2, "y": 2}}}}', Point, Line)
        return type(line) is Line, type(line.start) is Point, line.label

    t.call("the decoded Line and its Points are instances of the classes given",
           classes_of_line)


@case("a plain object without '__type__' is returned unchanged")
def decode_plain(t):
    hook = t.call("make_object_hook(Point)", t.module.make_object_hook, Point, observe=False)
    plain = {"name": "Point", "value": 3}
    t.call("hook({'name': 'Point', 'value': 3}) is that very dict",
           lambda: hook(plain) is plain)
    decode(t, repr('{"a": [1, {"b": null}], "type": "set"}'),
           '{"a": [1, {"b": null}], "type": "set"}')


@case("an unknown dataclass name or an unknown '__type__' raises ValueError", points=2)
def decode_errors(t):
    point = '{"__type__": "dataclass", "name": "Point", "value": {"x": 1, "y": 2}}'
    decode(t, "<a Point>", point)
    decode(t, "<a Point>", point, Line)
    decode(t, repr('{"__type__": "complex", "value": [1, 2]}'),
           '{"__type__": "complex", "value": [1, 2]}')


# ---------------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------------


@case("round trip: every type comes back as itself, a Decimal with its exact digits",
      points=3)
def round_trips(t):
    round_trip(t, "Decimal('1.10')", D("1.10"))
    round_trip(t, "[Decimal('2.500'), Decimal('-0E-7')]", [D("2.500"), D("-0E-7")])
    round_trip(t, "datetime(2024, 6, 1, 12, 0, tzinfo=UTC+2)",
               datetime.datetime(2024, 6, 1, 12, 0, tzinfo=UTC_PLUS_2))
    round_trip(t, "[date(1999, 12, 31), datetime(1999, 12, 31)]",
               [datetime.date(1999, 12, 31), datetime.datetime(1999, 12, 31)])
    round_trip(t, "[{1, 2}, frozenset({3})]", [{1, 2}, frozenset({3})])
    invoice = Invoice(1, D("0.30"), datetime.date(2024, 1, 1), {"x"},
                      [Money(D("0.10"), "USD"), Money(D("0.20"), "USD")])
    round_trip(t, "Invoice(..., lines=[Money(...), Money(...)])", invoice, Invoice, Money)


VALUE_KINDS = ["int", "float", "str", "bool", "none", "decimal", "date", "datetime", "set",
               "frozenset", "point", "money", "list", "dict", "line"]


def random_value(rng, depth=0):
    kind = rng.choice(VALUE_KINDS if depth < 3 else VALUE_KINDS[:11])
    if kind == "int":
        return rng.randint(-1000, 1000)
    if kind == "float":
        return rng.randint(-64, 64) / 8
    if kind == "str":
        return rng.choice(["", "a", "zé", "x y", "__type__"])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "decimal":
        return D(f"{rng.randint(-9999, 9999)}E{rng.randint(-4, 2)}")
    if kind == "date":
        return datetime.date(rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28))
    if kind == "datetime":
        zone = rng.choice([None, datetime.timezone.utc, UTC_PLUS_2])
        return datetime.datetime(2024, rng.randint(1, 12), 1, rng.randint(0, 23),
                                 rng.randint(0, 59), rng.choice([0, 500000]), tzinfo=zone)
    if kind in ("set", "frozenset"):
        items = {rng.randint(0, 40) for _ in range(rng.randint(0, 5))}
        return set(items) if kind == "set" else frozenset(items)
    if kind == "point":
        return Point(rng.randint(-5, 5), rng.randint(-5, 5))
    if kind == "money":
        return Money(D(f"{rng.randint(0, 999)}.{rng.randint(0, 99):02d}"),
                     rng.choice(["EUR", "USD"]))
    if kind == "line":
        return Line(Point(rng.randint(-5, 5), 0), Point(0, rng.randint(-5, 5)), "l")
    if kind == "list":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {f"k{i}": random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}


@random_case("random nested values: encoding, then the round trip", runs=30, points=3)
def random_round_trips(t, rng):
    values = [random_value(rng) for _ in range(4)]
    for number, value in enumerate(values):
        round_trip(t, f"value {number + 1}: {describe(value)!r}"[:400], value, *CLASSES)
