"""Cases for the log_calls exercise (see README.md for the API they check).

The logger handed to log_calls() notes every line it gets, and the decorated functions
note what they receive, so the order of the log lines around the call itself is compared
step by step with the reference.
"""
import contextlib
import io

from pykata_harness import case, random_case

REQUIRED = ["log_calls"]


def recording_logger(t, name="logger"):
    def logger(line):
        t.note(f"{name} got", line)

    return logger


def configure(t, logger, label="log_calls(logger)"):
    return t.call(label, t.module.log_calls, logger, observe=False)


def decorate(t, decorator, function, name=None):
    return t.call(f"decorating {name or function.__name__}", decorator, function,
                  observe=False)


def show_args(args, kwargs):
    shown = [repr(arg) for arg in args] + [f"{key}={value!r}" for key, value in kwargs.items()]
    return ", ".join(shown)


def call(t, wrapper, name, *args, **kwargs):
    return t.call(f"{name}({show_args(args, kwargs)})", wrapper, *args, **kwargs)


def logged(t, name, body):
    """`body` as a function called `name` that notes the arguments it receives."""

    def function(*args, **kwargs):
        t.note(f"{name} received", show_args(args, kwargs))
        return body(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    return function


# ---------------------------------------------------------------------------------------
# The two log lines
# ---------------------------------------------------------------------------------------


@case("a call logs 'calling ...' before the function runs and 'returned ...' after it",
      points=3)
def logs_around_the_call(t):
    decorator = configure(t, recording_logger(t))
    greet = decorate(t, decorator, logged(t, "greet", lambda name: f"Hello, {name}!"))
    call(t, greet, "greet", "Ada")
    call(t, greet, "greet", "Grace")


@case("arguments: repr() of each positional, then key=repr(value) in the caller's order",
      points=3)
def argument_formatting(t):
    decorator = configure(t, recording_logger(t))
    record = decorate(t, decorator,
                      logged(t, "record", lambda *args, **kwargs: len(args) + len(kwargs)))
    call(t, record, "record")
    call(t, record, "record", 1, "two", None)
    call(t, record, "record", [1, "x"], {"k": (2, 3.5)})
    call(t, record, "record", "it's", 'say "hi"')
    call(t, record, "record", 7, zeta=1, alpha="a")
    call(t, record, "record", alpha="a", zeta=1)
    call(t, record, "record", flag=True, ratio=0.25)


@case("the result is returned unchanged and logged with repr(), None and falsy too",
      points=2)
def results(t):
    decorator = configure(t, recording_logger(t))
    for name, value in [("nothing", None), ("zero", 0), ("empty", ""),
                        ("pair", (1, "b")), ("text", "it's")]:
        wrapper = decorate(t, decorator, logged(t, name, lambda value=value: value))
        call(t, wrapper, name)


@case("a recursive function logs its inner calls between its own two lines", points=2)
def recursion(t):
    logger = recording_logger(t)
    holder = {}

    def factorial(n):
        t.note("factorial received", n)
        return 1 if n <= 1 else n * holder["factorial"](n - 1)

    factorial.__qualname__ = "factorial"
    holder["factorial"] = decorate(t, configure(t, logger), factorial)
    call(t, holder["factorial"], "factorial", 3)


# ---------------------------------------------------------------------------------------
# Exceptions
# ---------------------------------------------------------------------------------------


class InsufficientFunds(Exception):
    pass


@case("an exception is logged as 'NAME raised TYPE: MESSAGE' and the same object "
      "re-raised", points=3)
def exceptions(t):
    decorator = configure(t, recording_logger(t))
    raised = []

    def failing(kind, message):
        def function(*args, **kwargs):
            error = kind(message)
            raised.append(error)
            raise error

        return function

    for name, kind, message in [("parse", ValueError, "not a number: 'x'"),
                                ("lookup", KeyError, "missing"),
                                ("pay", InsufficientFunds, "balance 3 < 5"),
                                ("empty", RuntimeError, "")]:
        wrapper = decorate(t, decorator, logged(t, name, failing(kind, message)))
        caught = []

        def run(wrapper=wrapper):
            try:
                return wrapper("arg", n=1)
            except BaseException as error:
                caught.append(error)
                raise

        t.call(f"{name}('arg', n=1)", run)
        t.note(f"{name} re-raised the very exception object",
               bool(caught) and caught[0] is raised[-1])


@case("KeyboardInterrupt and SystemExit propagate with no second log line")
def base_exceptions(t):
    decorator = configure(t, recording_logger(t))
    for name, kind in [("interrupted", KeyboardInterrupt), ("exiting", SystemExit)]:
        def body(kind=kind):
            raise kind()

        wrapper = decorate(t, decorator, logged(t, name, body))
        call(t, wrapper, name)


# ---------------------------------------------------------------------------------------
# The wrapper
# ---------------------------------------------------------------------------------------


@case("the wrapper keeps __name__, __qualname__, __doc__, __module__ and __wrapped__",
      points=2)
def metadata(t):
    def price(item):
        """Return the price of item."""
        return 3

    price.__qualname__ = "Shop.price"
    price.__module__ = "shop"
    wrapper = decorate(t, configure(t, recording_logger(t)), price)
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
        t.call(f"price.{attribute}", getattr, wrapper, attribute)
    t.call("price.__wrapped__ is the original price", lambda: wrapper.__wrapped__ is price)
    t.call("price('tea')", wrapper, "tea")


class Account:
    """A class whose methods are decorated in the cases, with a stable repr."""

    def __init__(self, owner):
        self.owner = owner
        self.balance = 0

    def __repr__(self):
        return f"Account({self.owner!r})"


@case("methods receive self, called on an instance or on the class", points=3)
def methods(t):
    decorator = configure(t, recording_logger(t))

    def deposit(self, amount):
        t.note("deposit received self", repr(self))
        self.balance += amount
        return self.balance

    deposit.__qualname__ = "Account.deposit"
    Account.deposit = decorate(t, decorator, deposit)
    try:
        ada = Account("ada")
        t.call("ada.deposit(5)", lambda: ada.deposit(5))
        t.call("ada.deposit(amount=2)", lambda: ada.deposit(amount=2))
        t.call("Account.deposit(ada, 1)", lambda: Account.deposit(ada, 1))
        bob = Account("bob")
        t.call("bob.deposit(10)", lambda: bob.deposit(10))
        t.call("ada.balance", lambda: ada.balance)
    finally:
        del Account.deposit


@case("@classmethod and @staticmethod above @log_calls(...) work")
def classmethods_and_staticmethods(t):
    decorator = configure(t, recording_logger(t))

    def named(cls, owner):
        t.note("named received cls", cls.__name__)
        return cls(owner).owner

    def fee(amount):
        return amount // 10

    named.__qualname__ = "Account.named"
    fee.__qualname__ = "Account.fee"
    Account.named = classmethod(decorate(t, decorator, named))
    Account.fee = staticmethod(decorate(t, decorator, fee))
    try:
        t.call("Account.fee(50)", lambda: Account.fee(50))
        t.call("Account('x').fee(70)", lambda: Account("x").fee(70))
        t.call("Account.named('cy')", lambda: Account.named("cy"))
    finally:
        del Account.named, Account.fee


@case("the logger is called only when the function is, and each decorator uses its own",
      points=2)
def logger_per_decorator(t):
    first = configure(t, recording_logger(t, "audit"), "log_calls(audit)")
    second = configure(t, recording_logger(t, "debug"), "log_calls(debug)")
    ping = decorate(t, first, logged(t, "ping", lambda: "pong"))
    echo = decorate(t, second, logged(t, "echo", lambda text: text))
    also = decorate(t, first, logged(t, "also", lambda: 1))
    call(t, echo, "echo", "hi")
    call(t, ping, "ping")
    call(t, also, "also")


@case("the default logger is print")
def default_print(t):
    function = logged(t, "tick", lambda: 42)
    decorator = t.call("log_calls()", t.module.log_calls, observe=False)
    wrapper = decorate(t, decorator, function)

    def run():
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            result = wrapper()
        return result, out.getvalue()

    t.call("tick(), with what it printed", run)


# ---------------------------------------------------------------------------------------
# Random calls
# ---------------------------------------------------------------------------------------

VALUES = [0, 1, -2, 2.5, "a", "it's", None, True, (1, 2), [3], {"k": 1}]
ERRORS = [ValueError, KeyError, ZeroDivisionError, InsufficientFunds]


@random_case("random arguments, results and exceptions", runs=30, points=2)
def random_calls(t, rng):
    plan = []
    for _ in range(8):
        args = [rng.choice(VALUES) for _ in range(rng.randint(0, 3))]
        names = rng.sample(["x", "y", "key", "mode"], rng.randint(0, 3))
        kwargs = {name: rng.choice(VALUES) for name in names}
        if rng.random() < 0.3:
            outcome = (rng.choice(ERRORS), f"failure {rng.randint(1, 9)}")
        else:
            outcome = (None, rng.choice(VALUES))
        plan.append((args, kwargs, outcome))

    state = {}

    def job(*args, **kwargs):
        t.note("job received", show_args(args, kwargs))
        kind, value = state["outcome"]
        if kind is not None:
            raise kind(value)
        return value

    job.__qualname__ = "job"
    wrapper = decorate(t, configure(t, recording_logger(t)), job)
    for args, kwargs, outcome in plan:
        state["outcome"] = outcome
        call(t, wrapper, "job", *args, **kwargs)
