"""Cases for the event_bus exercise (see README.md for the API they check).

Every subscriber is a fake that records what it received as a note, so each call a
publish() makes is a step: a subscriber called too often, too rarely, out of order or with
the wrong arguments shows as the first difference. Weak references are checked with
`weakref.ref` to the subscribed object, after `del` and `gc.collect()`.
"""
import gc
import tracemalloc
import weakref

from pykata_harness import case, random_case

REQUIRED = ["EventBus"]


def new_bus(t):
    return t.call("EventBus()", t.module.EventBus, observe=False)


def collect():
    """Collect twice: a reference cycle freed by the first pass may free more objects."""
    gc.collect()
    gc.collect()


def recorder(t, name, raises=None, errors=None):
    """A plain function called `name` that notes its arguments; it raises `raises` (an
    exception class) if given, appending the exception object to `errors`."""

    def callback(*args, **kwargs):
        t.note(f"{name} received", [list(args), kwargs])
        if raises is not None:
            error = raises(f"{name} failed")
            if errors is not None:
                errors.append(error)
            raise error

    callback.__name__ = callback.__qualname__ = name
    return callback


class Listener:
    """An object whose bound method `on_event` is subscribed; it notes what it received."""

    def __init__(self, t, name):
        self.t = t
        self.name = name

    def on_event(self, *args, **kwargs):
        self.t.note(f"{self.name}.on_event received", [list(args), kwargs])


def subscribe(t, bus, event, callback, shown):
    """bus.subscribe(event, callback): returns the unsubscribe function (not observed)."""
    return t.call(f"subscribe({event!r}, {shown})", bus.subscribe, event, callback,
                  observe=False)


def unsubscribe(t, function, shown):
    t.call(f"unsubscribe() returned by subscribe({shown})", function, observe=False)


def publish(t, bus, event, *args, **kwargs):
    shown = [repr(event)] + [repr(arg) for arg in args]
    shown += [f"{key}={value!r}" for key, value in kwargs.items()]
    return t.call(f"publish({', '.join(shown)})", bus.publish, event, *args, **kwargs)


# ---------------------------------------------------------------------------------------
# subscribe, publish, order
# ---------------------------------------------------------------------------------------


@case("publish calls the subscribers with its arguments and returns how many it called",
      points=2)
def publish_passes_arguments(t):
    bus = new_bus(t)
    on_save, audit = recorder(t, "on_save"), recorder(t, "audit")
    subscribe(t, bus, "save", on_save, "on_save")
    subscribe(t, bus, "save", audit, "audit")
    publish(t, bus, "save", "doc.txt", size=3)
    publish(t, bus, "save")
    publish(t, bus, "save", 1, 2, 3, mode="w", flush=True)


@case("an event nobody subscribed to gives 0, and events are independent")
def events_are_independent(t):
    bus = new_bus(t)
    publish(t, bus, "nothing", 1)
    on_open, on_close = recorder(t, "on_open"), recorder(t, "on_close")
    subscribe(t, bus, "open", on_open, "on_open")
    subscribe(t, bus, ("close", 2), on_close, "on_close")
    publish(t, bus, "open", "a")
    publish(t, bus, ("close", 2), "b")
    publish(t, bus, "other", "c")


@case("subscribers are called in the order they subscribed", points=2)
def subscription_order(t):
    bus = new_bus(t)
    first, second, third = (recorder(t, name) for name in ("first", "second", "third"))
    subscribe(t, bus, "tick", first, "first")
    off = subscribe(t, bus, "tick", second, "second")
    subscribe(t, bus, "tick", third, "third")
    publish(t, bus, "tick", 1)
    # Unsubscribed and subscribed again: a new subscription, so now the last one.
    unsubscribe(t, off, "'tick', second")
    subscribe(t, bus, "tick", second, "second")
    publish(t, bus, "tick", 2)


# ---------------------------------------------------------------------------------------
# Unsubscribing and duplicates
# ---------------------------------------------------------------------------------------


@case("the function subscribe returns unsubscribes; calling it twice is harmless", points=2)
def unsubscribe_function(t):
    bus = new_bus(t)
    on_save, backup = recorder(t, "on_save"), recorder(t, "backup")
    off = subscribe(t, bus, "save", on_save, "on_save")
    subscribe(t, bus, "save", backup, "backup")
    publish(t, bus, "save", "a.txt")
    unsubscribe(t, off, "'save', on_save")
    publish(t, bus, "save", "b.txt")
    unsubscribe(t, off, "'save', on_save")
    publish(t, bus, "save", "c.txt")


@case("the same callback subscribed twice to the same event is registered once", points=2)
def duplicates_register_once(t):
    bus = new_bus(t)
    ping = recorder(t, "ping")
    off = subscribe(t, bus, "ping", ping, "ping")
    subscribe(t, bus, "ping", ping, "ping")
    publish(t, bus, "ping", 1)
    subscribe(t, bus, "pong", ping, "ping")
    publish(t, bus, "pong", 2)
    unsubscribe(t, off, "'ping', ping")
    publish(t, bus, "ping", 3)


@case("the same method of the same object, subscribed twice, is registered once")
def duplicate_bound_methods(t):
    bus = new_bus(t)
    ada, bob = Listener(t, "ada"), Listener(t, "bob")
    subscribe(t, bus, "news", ada.on_event, "ada.on_event")
    subscribe(t, bus, "news", ada.on_event, "ada.on_event")
    subscribe(t, bus, "news", bob.on_event, "bob.on_event")
    publish(t, bus, "news", "headline")


# ---------------------------------------------------------------------------------------
# Exceptions
# ---------------------------------------------------------------------------------------


@case("when subscribers raise, the others are still called and the first exception is "
      "re-raised after all of them ran", points=3)
def exceptions(t):
    bus = new_bus(t)
    errors = []
    subscribers = [recorder(t, "log"), recorder(t, "index", KeyError, errors),
                   recorder(t, "backup"), recorder(t, "upload", ValueError, errors),
                   recorder(t, "notify")]
    for subscriber in subscribers:
        subscribe(t, bus, "save", subscriber, subscriber.__name__)
    caught = []

    def publish_save():
        try:
            return bus.publish("save", "doc.txt")
        except Exception as error:
            caught.append(error)
            raise

    t.call("publish('save', 'doc.txt')", publish_save)
    t.note("publish('save', 'doc.txt') re-raised the very exception index raised",
           bool(caught) and bool(errors) and caught[0] is errors[0])
    del caught[:], errors[:]
    publish(t, bus, "save", "again.txt")


@case("a subscriber that raises last is re-raised too")
def last_subscriber_raises(t):
    bus = new_bus(t)
    cleanup, flush = recorder(t, "cleanup"), recorder(t, "flush", OSError)
    subscribe(t, bus, "quit", cleanup, "cleanup")
    subscribe(t, bus, "quit", flush, "flush")
    publish(t, bus, "quit")


# ---------------------------------------------------------------------------------------
# Weak and strong references
# ---------------------------------------------------------------------------------------


@case("the bus never keeps a subscribed object alive", points=3)
def never_keeps_objects_alive(t):
    bus = new_bus(t)
    listener = Listener(t, "listener")
    alive = weakref.ref(listener)
    subscribe(t, bus, "tick", listener.on_event, "listener.on_event")
    subscribe(t, bus, "tock", listener.on_event, "listener.on_event")
    publish(t, bus, "tick", 1)
    del listener
    collect()
    t.note("listener was garbage-collected after `del listener` and gc.collect()",
           alive() is None)


@case("a bound method whose object was garbage-collected is skipped and forgotten",
      points=3)
def dead_methods_are_skipped(t):
    bus = new_bus(t)
    keeper, goner = Listener(t, "keeper"), Listener(t, "goner")
    subscribe(t, bus, "tick", goner.on_event, "goner.on_event")
    subscribe(t, bus, "tick", keeper.on_event, "keeper.on_event")
    on_tick = recorder(t, "on_tick")
    subscribe(t, bus, "tick", on_tick, "on_tick")
    publish(t, bus, "tick", 1)
    del goner
    collect()
    publish(t, bus, "tick", 2)
    publish(t, bus, "tick", 3)
    newcomer = Listener(t, "newcomer")
    subscribe(t, bus, "tick", newcomer.on_event, "newcomer.on_event")
    publish(t, bus, "tick", 4)


class Quiet:
    """A subscriber that records nothing (so that the case itself allocates nothing)."""

    def on_event(self, *args, **kwargs):
        pass


@case("dead subscriptions are forgotten: 500 subscribers that came and died leave "
      "nothing behind", points=2)
def dead_subscriptions_are_forgotten(t):
    bus = new_bus(t)

    def on_tick(*args, **kwargs):
        pass

    subscribe(t, bus, "tick", on_tick, "on_tick")

    def cycles(count):
        for number in range(count):
            listener = Quiet()
            bus.subscribe("tick", listener.on_event)
            del listener
            if number % 10 == 9:
                bus.publish("tick")

    def memory_kept():
        # Memory, not time: a bus that keeps every dead entry holds hundreds of bytes per
        # subscriber that died (about 250 KB here); one that forgets them holds nothing
        # new, whether it forgets them when they die or when publish meets them.
        cycles(100)
        collect()
        tracemalloc.start()
        try:
            cycles(10)
            before = tracemalloc.get_traced_memory()[0]
            cycles(500)
            collect()
            return tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()

    t.call("after 500 times (subscribe a new object's method, let the object die; "
           "publish every tenth time), the bus holds less than 32 KB more",
           lambda: memory_kept() < 32 * 1024)
    publish(t, bus, "tick", "still there")


@case("plain functions are held strongly: the bus keeps them alive", points=2)
def functions_are_strong(t):
    bus = new_bus(t)

    def subscribe_temporaries():
        # Nothing but the bus refers to these two functions once this returns.
        subscribe(t, bus, "tick", recorder(t, "on_tick"), "on_tick")
        subscribe(t, bus, "tick", lambda n: t.note("lambda received", n), "lambda n: ...")

    subscribe_temporaries()
    collect()
    publish(t, bus, "tick", 7)


# ---------------------------------------------------------------------------------------
# Random sequences: the seed changes on every grading run
# ---------------------------------------------------------------------------------------

FUNCTIONS = ["f0", "f1", "f2"]
LISTENERS = ["l0", "l1"]
EVENTS = ["tick", "save"]


@random_case("random subscribe, unsubscribe, publish and garbage collection", runs=30,
             points=3)
def random_sequences(t, rng):
    # Draw the whole script first, from a model of what is subscribed: nothing drawn may
    # depend on what the submission does. Each subscription gets a serial number.
    raises = {name: rng.choice([None, None, KeyError, ValueError]) for name in FUNCTIONS}
    script = []
    current = {event: {} for event in EVENTS}  # event -> {name: serial}, in order
    spent = []  # (event, name, serial) of subscriptions already unsubscribed
    alive = set(LISTENERS)
    for step in range(rng.randint(8, 20)):
        roll = rng.random()
        event = rng.choice(EVENTS)
        if roll < 0.45:
            name = rng.choice(FUNCTIONS + sorted(alive))
            serial = None if name in current[event] else step
            script.append(("subscribe", event, name, serial))
            if serial is not None:
                current[event][name] = serial
        elif roll < 0.6 and current[event]:
            name = rng.choice(sorted(current[event]))
            serial = current[event].pop(name)
            script.append(("unsubscribe", event, name, serial))
            spent.append((event, name, serial))
        elif roll < 0.67 and alive:
            name = rng.choice(sorted(alive))
            script.append(("kill", None, name, None))
            alive.discard(name)
            for names in current.values():
                names.pop(name, None)
            spent = [entry for entry in spent if entry[1] != name]
        elif roll < 0.75:
            # Call a spent unsubscribe function again, but only while its callback is not
            # subscribed anew (what a stale one does to a newer subscription is free).
            candidates = [entry for entry in spent if entry[1] not in current[entry[0]]]
            if candidates:
                script.append(("unsubscribe again",) + rng.choice(candidates))
        else:
            script.append(("publish", event, step, None))

    bus = new_bus(t)
    functions = {name: recorder(t, name, raises[name]) for name in FUNCTIONS}
    listeners = {name: Listener(t, name) for name in LISTENERS}
    offs = {}  # serial -> the unsubscribe function subscribe returned
    t.note("subscribers that raise", {name: error.__name__ for name, error in raises.items()
                                      if error is not None})
    for kind, event, name, serial in script:
        shown = name if name in FUNCTIONS else f"{name}.on_event"
        if kind == "subscribe":
            if name in FUNCTIONS:
                off = subscribe(t, bus, event, functions[name], shown)
            else:
                off = subscribe(t, bus, event, listeners[name].on_event, shown)
            if serial is not None:
                offs[serial] = (name, off)
        elif kind == "unsubscribe":
            unsubscribe(t, offs[serial][1], f"{event!r}, {shown}")
        elif kind == "unsubscribe again":
            unsubscribe(t, offs[serial][1], f"{event!r}, {shown}, a second time")
        elif kind == "kill":
            # The case drops everything of its own that refers to the object.
            for key in [key for key, (owner, _) in offs.items() if owner == name]:
                del offs[key]
            del listeners[name]
            collect()
            t.note(f"del {name}; gc.collect()", None)
        else:
            publish(t, bus, event, name)
    offs.clear()
