"""Cases for the mutable_defaults exercise (see README.md for the API they check).

Lists and dicts created by the cases are observed after each call, and whether a result is
the very object passed in, so that both a shared default and a copied (or replaced)
argument show up as the first difference.
"""
from pykata_harness import case, random_case

REQUIRED = ["append_to", "tally", "Playlist"]


def same(a, b):
    return a is b


# ---------------------------------------------------------------------------------------
# append_to
# ---------------------------------------------------------------------------------------


@case("append_to without target returns a new list on every call", points=3)
def append_to_fresh(t):
    append_to = t.module.append_to
    t.call("append_to(1)", append_to, 1)
    t.call("append_to(2)", append_to, 2)
    first = t.call("first = append_to('a')", append_to, "a")
    second = t.call("second = append_to('b')", append_to, "b")
    t.call("first is second", same, first, second)
    if isinstance(first, list):
        first.append("changed by the caller")
    t.call("append_to('c') after first.append(...)", append_to, "c")


@case("append_to with a target appends to that very list and returns it", points=2)
def append_to_target(t):
    append_to = t.module.append_to
    lst = ["x"]
    result = t.call("result = append_to('y', lst) with lst = ['x']", append_to, "y", lst)
    t.call("result is lst", same, result, lst)
    t.note("lst", lst)
    t.call("append_to('z', target=lst)", append_to, "z", target=lst)
    t.note("lst", lst)
    t.call("append_to(1) after that", append_to, 1)


@case("an empty list passed as target is filled, not replaced", points=2)
def append_to_empty_target(t):
    append_to = t.module.append_to
    lst = []
    result = t.call("result = append_to(1, lst) with lst = []", append_to, 1, lst)
    t.note("lst after append_to(1, lst)", lst)
    t.call("result is lst", same, result, lst)


# ---------------------------------------------------------------------------------------
# tally
# ---------------------------------------------------------------------------------------


@case("tally without counts returns a new dict on every call", points=3)
def tally_fresh(t):
    tally = t.module.tally
    t.call("tally(['a', 'b', 'a'])", tally, ["a", "b", "a"])
    t.call("tally(['c'])", tally, ["c"])
    t.call("tally([])", tally, [])
    first = t.call("first = tally(['x'])", tally, ["x"])
    second = t.call("second = tally(['x'])", tally, ["x"])
    t.call("first is second", same, first, second)


@case("tally with counts adds into that very dict and returns it", points=2)
def tally_counts(t):
    tally = t.module.tally
    counts = {"a": 5}
    result = t.call("result = tally(['a', 'b'], counts) with counts = {'a': 5}",
                    tally, ["a", "b"], counts)
    t.call("result is counts", same, result, counts)
    t.note("counts", counts)
    t.call("tally(['b'], counts=counts)", tally, ["b"], counts=counts)
    t.note("counts", counts)
    empty = {}
    result = t.call("result = tally(['q'], empty) with empty = {}", tally, ["q"], empty)
    t.note("empty after tally(['q'], empty)", empty)
    t.call("result is empty", same, result, empty)
    t.call("tally(['z']) after that", tally, ["z"])


# ---------------------------------------------------------------------------------------
# Playlist
# ---------------------------------------------------------------------------------------


def playlist(t, name, *args, **kwargs):
    shown = [repr(arg) for arg in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return t.call(f"{name} = Playlist({', '.join(shown)})", t.module.Playlist, *args,
                  observe=False, **kwargs)


def songs(t, name, p):
    return t.call(f"{name}.songs", lambda: list(p.songs) if isinstance(p.songs, list)
                  else p.songs)


@case("playlists made without songs start empty and share nothing", points=3)
def playlist_fresh(t):
    first = playlist(t, "first")
    t.method(first, "add", "intro")
    t.method(first, "add", "outro")
    songs(t, "first", first)
    second = playlist(t, "second")
    songs(t, "second", second)
    t.method(second, "add", "solo")
    songs(t, "first", first)
    songs(t, "second", second)


@case("Playlist(songs) starts with a copy: the caller's list never changes", points=3)
def playlist_copies(t):
    mine = ["a", "b"]
    p = playlist(t, "p", mine)
    t.method(p, "add", "c")
    t.method(p, "remove", "a")
    t.note("mine after p.add('c'), p.remove('a')", list(mine))
    songs(t, "p", p)
    mine.append("z")
    songs(t, "p after mine.append('z')", p)
    t.call("p.songs is mine", lambda: p.songs is mine)
    empty = []
    q = playlist(t, "q", songs=empty)
    t.method(q, "add", "x")
    t.note("empty after q.add('x')", list(empty))
    songs(t, "q", q)


@case("Playlist keeps its songs in order; remove() of a missing song raises ValueError")
def playlist_behaviour(t):
    p = playlist(t, "p", ["one", "two", "one"])
    t.method(p, "remove", "one")
    songs(t, "p", p)
    t.method(p, "remove", "absent")
    t.method(p, "add", "three")
    songs(t, "p", p)


# ---------------------------------------------------------------------------------------
# Random scripts: the seed changes on every grading run
# ---------------------------------------------------------------------------------------


@random_case("random mixes of calls with and without the argument", runs=25, points=2)
def random_calls(t, rng):
    script = []
    for _ in range(rng.randint(3, 12)):
        kind = rng.choice(["append", "append", "tally", "playlist"])
        given = rng.random() < 0.4
        script.append((kind, given, rng.choice("abc"), rng.randint(0, 2)))
    mod = t.module
    mine_list, mine_dict, mine_songs = [], {}, ["s"]
    for kind, given, word, n in script:
        if kind == "append":
            if given:
                t.call(f"append_to({word!r}, lst)", mod.append_to, word, mine_list)
                t.note("lst", list(mine_list))
            else:
                t.call(f"append_to({word!r})", mod.append_to, word)
        elif kind == "tally":
            words = [word] * (n + 1)
            if given:
                t.call(f"tally({words!r}, counts)", mod.tally, words, mine_dict)
                t.note("counts", dict(mine_dict))
            else:
                t.call(f"tally({words!r})", mod.tally, words)
        else:
            p = playlist(t, "p", mine_songs) if given else playlist(t, "p")
            t.method(p, "add", word)
            songs(t, "p", p)
            t.note("mine", list(mine_songs))
