"""Cases for the typed_fields exercise (see README.md for the API they check).

The cases define their own classes with the learner's descriptors in the class body (that
is when __set_name__ runs), then assign, read and delete fields. When an assignment,
read or deletion raises, a note records whether the error's message names the field.
"""
from pykata_harness import case, random_case

REQUIRED = ["Typed", "Positive", "NonEmpty"]


def define(t, label, build):
    """Run build() (a class statement); the class is not observed, only that it worked."""
    return t.call(label, build, observe=False)


def names_the_field(t, field, messages):
    if messages:
        t.note(f"the message of that error names the field {field!r}", field in messages[0])


def capture(action, messages):
    """Run action(), keeping the message of what it raises (and re-raising it)."""
    try:
        return action()
    except Exception as error:
        messages.append(str(error))
        raise


def assign(t, obj, shown, field, value, shown_value=None):
    messages = []
    shown_value = repr(value) if shown_value is None else shown_value
    t.call(f"{shown}.{field} = {shown_value}",
           lambda: capture(lambda: setattr(obj, field, value), messages), observe=False)
    names_the_field(t, field, messages)


def read(t, obj, shown, field):
    messages = []
    result = t.call(f"{shown}.{field}", lambda: capture(lambda: getattr(obj, field), messages))
    names_the_field(t, field, messages)
    return result


def delete(t, obj, shown, field):
    messages = []
    t.call(f"del {shown}.{field}",
           lambda: capture(lambda: delattr(obj, field), messages), observe=False)
    names_the_field(t, field, messages)


def show_vars(t, obj, shown):
    t.call(f"vars({shown})", lambda: dict(vars(obj)))


def product_class(t):
    m = t.module

    def build():
        class Product:
            title = m.NonEmpty()
            price = m.Positive()
            quantity = m.Typed(int)

            def __init__(self, title, price, quantity=0):
                self.title = title
                self.price = price
                self.quantity = quantity

        return Product

    return define(t, "class Product: title = NonEmpty(); price = Positive(); "
                     "quantity = Typed(int); __init__ assigns all three", build)


def item_class(t):
    m = t.module

    def build():
        class Item:
            count = m.Typed(int)
            label = m.Typed(str)
            size = m.Typed((int, float))

        return Item

    return define(t, "class Item: count = Typed(int); label = Typed(str); "
                     "size = Typed((int, float))", build)


def new(t, cls, shown, *args):
    return t.call(shown, lambda: cls(*args), observe=False)


# ---------------------------------------------------------------------------------------
# Typed
# ---------------------------------------------------------------------------------------


@case("Typed(kind) accepts instances of kind and rejects anything else with TypeError",
      points=2)
def typed_checks_types(t):
    Item = item_class(t)
    item = new(t, Item, "Item()")
    assign(t, item, "item", "count", 3)
    read(t, item, "item", "count")
    assign(t, item, "item", "count", "3")
    assign(t, item, "item", "count", 2.5)
    assign(t, item, "item", "label", "box")
    assign(t, item, "item", "label", None)
    read(t, item, "item", "label")
    assign(t, item, "item", "size", 7)
    assign(t, item, "item", "size", 7.5)
    read(t, item, "item", "size")
    assign(t, item, "item", "size", "big")
    assign(t, item, "item", "size", [7])


@case("kind is checked with isinstance: an instance of a subclass is accepted")
def typed_accepts_subclasses(t):
    m = t.module

    class Animal:
        pass

    class Dog(Animal):
        pass

    def build():
        class Home:
            pet = m.Typed(Animal)

        return Home

    Home = define(t, "class Home: pet = Typed(Animal)   # with class Dog(Animal)", build)
    home = new(t, Home, "Home()")
    assign(t, home, "home", "pet", Dog(), "Dog()")
    t.call("type(home.pet).__name__", lambda: type(home.pet).__name__)
    messages = []
    t.call("home.pet = Animal", lambda: capture(lambda: setattr(home, "pet", Animal),
                                                messages), observe=False)
    names_the_field(t, "pet", messages)


@case("a field that was never set raises AttributeError")
def unset_field(t):
    Item = item_class(t)
    item = new(t, Item, "Item()")
    read(t, item, "item", "count")
    assign(t, item, "item", "label", "box")
    read(t, item, "item", "count")
    read(t, item, "item", "label")


@case("the value is stored in the instance's __dict__ under the field's own name",
      points=2)
def stored_in_instance_dict(t):
    Item = item_class(t)
    item = new(t, Item, "Item()")
    show_vars(t, item, "item")
    assign(t, item, "item", "count", 3)
    show_vars(t, item, "item")
    assign(t, item, "item", "label", "box")
    assign(t, item, "item", "size", 1.5)
    show_vars(t, item, "item")


@case("each instance keeps its own values", points=2)
def instances_are_independent(t):
    Item = item_class(t)
    first = new(t, Item, "first = Item()")
    second = new(t, Item, "second = Item()")
    assign(t, first, "first", "count", 1)
    assign(t, second, "second", "count", 2)
    read(t, first, "first", "count")
    read(t, second, "second", "count")
    assign(t, first, "first", "label", "one")
    read(t, second, "second", "label")
    show_vars(t, first, "first")
    show_vars(t, second, "second")


@case("two fields of the same descriptor class in one class are independent")
def fields_are_independent(t):
    m = t.module

    def build():
        class Point:
            x = m.Typed(int)
            y = m.Typed(int)

        return Point

    Point = define(t, "class Point: x = Typed(int); y = Typed(int)", build)
    point = new(t, Point, "Point()")
    assign(t, point, "point", "x", 1)
    assign(t, point, "point", "y", 2)
    read(t, point, "point", "x")
    read(t, point, "point", "y")
    assign(t, point, "point", "y", "2")
    show_vars(t, point, "point")


@case("on the class itself, the field is the descriptor object")
def class_access(t):
    Product = product_class(t)
    t.call("isinstance(Product.price, Positive)",
           lambda: isinstance(Product.price, t.module.Positive))
    t.call("isinstance(Product.title, NonEmpty)",
           lambda: isinstance(Product.title, t.module.NonEmpty))
    t.call("isinstance(Product.quantity, Typed)",
           lambda: isinstance(Product.quantity, t.module.Typed))


@case("a rejected value leaves the field as it was", points=2)
def rejected_value_changes_nothing(t):
    Product = product_class(t)
    pen = new(t, Product, "pen = Product('pen', 1.5, 10)", "pen", 1.5, 10)
    assign(t, pen, "pen", "price", -3)
    read(t, pen, "pen", "price")
    assign(t, pen, "pen", "quantity", "lots")
    read(t, pen, "pen", "quantity")
    assign(t, pen, "pen", "title", "")
    read(t, pen, "pen", "title")
    show_vars(t, pen, "pen")
    Item = item_class(t)
    item = new(t, Item, "Item()")
    assign(t, item, "item", "count", 1.0)
    read(t, item, "item", "count")
    show_vars(t, item, "item")


# ---------------------------------------------------------------------------------------
# Positive and NonEmpty
# ---------------------------------------------------------------------------------------


@case("Positive(): an int or float above 0; TypeError for other types, ValueError for "
      "0 or less", points=2)
def positive(t):
    Product = product_class(t)
    pen = new(t, Product, "pen = Product('pen', 1.5)", "pen", 1.5)
    for value in [3, 0.25, 0, -1, -0.5, "3", None, 1e-9]:
        assign(t, pen, "pen", "price", value)
        read(t, pen, "pen", "price")


@case("Positive(kind) checks the type first, then the sign")
def positive_with_kind(t):
    m = t.module

    def build():
        class Order:
            count = m.Positive(int)

        return Order

    Order = define(t, "class Order: count = Positive(int)", build)
    order = new(t, Order, "Order()")
    for value in [4, 2.5, -2.5, 0, "1", -7, 1]:
        assign(t, order, "order", "count", value)
    read(t, order, "order", "count")


@case("NonEmpty(): a str that is not empty")
def non_empty(t):
    Product = product_class(t)
    pen = new(t, Product, "pen = Product('pen', 1.5)", "pen", 1.5)
    for value in ["", "ink", 5, " ", None, b"pen"]:
        assign(t, pen, "pen", "title", value)
        read(t, pen, "pen", "title")


@case("assignments in __init__ go through the descriptors, so they are validated too",
      points=2)
def validated_in_init(t):
    Product = product_class(t)
    for args in [("pen", 1.5, 10), ("", 1.5, 10), ("pen", 0, 10), ("pen", "cheap", 10),
                 ("pen", 2, 1.5), (None, 2, 1)]:
        product = new(t, Product, f"Product{args!r}", *args)
        if product is not None:
            show_vars(t, product, f"Product{args!r}")


@case("del removes a field; deleting a field that is not set raises AttributeError")
def deleting(t):
    Item = item_class(t)
    item = new(t, Item, "Item()")
    assign(t, item, "item", "count", 5)
    delete(t, item, "item", "count")
    read(t, item, "item", "count")
    show_vars(t, item, "item")
    delete(t, item, "item", "count")
    assign(t, item, "item", "count", 6)
    read(t, item, "item", "count")


@case("the same descriptor classes work in several classes, each field with its own name")
def several_classes(t):
    Product = product_class(t)
    m = t.module

    def build():
        class Invoice:
            quantity = m.Typed(int)
            total = m.Positive()
            customer = m.NonEmpty()

        return Invoice

    Invoice = define(t, "class Invoice: quantity = Typed(int); total = Positive(); "
                        "customer = NonEmpty()", build)
    pen = new(t, Product, "pen = Product('pen', 1.5, 10)", "pen", 1.5, 10)
    invoice = new(t, Invoice, "invoice = Invoice()")
    assign(t, invoice, "invoice", "quantity", 2)
    assign(t, invoice, "invoice", "total", -1)
    assign(t, invoice, "invoice", "customer", "")
    assign(t, invoice, "invoice", "customer", "Ada")
    show_vars(t, invoice, "invoice")
    show_vars(t, pen, "pen")


# ---------------------------------------------------------------------------------------
# Random sequences: the seed changes on every grading run
# ---------------------------------------------------------------------------------------

FIELDS = {
    "count": "Typed(int)",
    "ratio": "Typed((int, float))",
    "label": "Typed(str)",
    "price": "Positive()",
    "stock": "Positive(int)",
    "code": "NonEmpty()",
}
VALUES = [0, 1, 7, -3, 2.5, -0.5, 0.0, "", "x", "abc", None, [1], (2,), 10 ** 30]


@random_case("random assignments, reads and deletions, compared with the reference",
             runs=30, points=3)
def random_operations(t, rng):
    # Draw the whole script first: nothing drawn may depend on what the submission does.
    script = []
    for _ in range(rng.randint(10, 25)):
        roll = rng.random()
        target = rng.choice(["a", "b"])
        field = rng.choice(sorted(FIELDS))
        if roll < 0.6:
            script.append(("set", target, field, rng.choice(VALUES)))
        elif roll < 0.8:
            script.append(("get", target, field, None))
        elif roll < 0.9:
            script.append(("del", target, field, None))
        else:
            script.append(("vars", target, None, None))

    m = t.module

    def build():
        class Record:
            count = m.Typed(int)
            ratio = m.Typed((int, float))
            label = m.Typed(str)
            price = m.Positive()
            stock = m.Positive(int)
            code = m.NonEmpty()

        return Record

    Record = define(t, "class Record: " + "; ".join(f"{name} = {kind}"
                                                    for name, kind in FIELDS.items()), build)
    objects = {"a": new(t, Record, "a = Record()"), "b": new(t, Record, "b = Record()")}
    for kind, target, field, value in script:
        obj = objects[target]
        if kind == "set":
            assign(t, obj, target, field, value)
        elif kind == "get":
            read(t, obj, target, field)
        elif kind == "del":
            delete(t, obj, target, field)
        else:
            show_vars(t, obj, target)
    show_vars(t, objects["a"], "a")
    show_vars(t, objects["b"], "b")
