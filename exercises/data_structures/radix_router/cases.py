"""Cases for the radix_router exercise (see README.md for the API they check).

Handlers are strings (and a few ints), so what match() returns is a builtin value that the
grader compares with the reference's. Paths given to match() never contain an empty
segment, except where the case checks that a parameter refuses to capture one (there, both
readings of an empty path segment, ignored or kept, must give None).
"""
from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["Router"]


def new(t):
    return t.call("Router()", t.module.Router, observe=False)


def add(t, router, pattern, handler, note=""):
    label = f"add({pattern!r}, {handler!r})" + (f"  # {note}" if note else "")
    t.call(label, builtin_errors(router.add, ValueError), pattern, handler, observe=False)


def match(t, router, path, note=""):
    label = f"match({path!r})" + (f"  # {note}" if note else "")
    return t.call(label, router.match, path)


def router_with(t, *routes):
    router = new(t)
    for pattern, handler in routes:
        add(t, router, pattern, handler)
    return router


# ---------------------------------------------------------------------------------------
# Segments
# ---------------------------------------------------------------------------------------


@case("static patterns match their own path, and nothing else gives a match", points=2)
def static_patterns(t):
    router = router_with(t, ("/users", "list_users"), ("/users/active", "active_users"),
                         ("/about/team", "team"))
    match(t, router, "/users")
    match(t, router, "/users/active")
    match(t, router, "/about/team")
    match(t, router, "/about", "no pattern ends there")
    match(t, router, "/users/active/now", "a path longer than every pattern")
    match(t, router, "/Users", "static segments compare exactly")
    match(t, router, "/team")


@case("'/' has no segments: it is the root pattern, matched by the path '/'")
def root_pattern(t):
    router = new(t)
    match(t, router, "/", "no pattern yet")
    add(t, router, "/", "home")
    match(t, router, "/")
    add(t, router, "/home", "home_page")
    match(t, router, "/home")
    match(t, router, "/")


@case("empty segments of a pattern are ignored: '/users/' is '/users'", points=2)
def empty_pattern_segments(t):
    router = router_with(t, ("/users/", "trailing"), ("//docs//api/", "doubled"))
    match(t, router, "/users", "added as '/users/'")
    match(t, router, "/docs/api", "added as '//docs//api/'")
    add(t, router, "/users", "again", "the same shape as '/users/'")
    add(t, router, "/docs/api", "again", "the same shape as '//docs//api/'")
    add(t, router, "//", "root", "'//' has no segments: the root")
    match(t, router, "/")


# ---------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------


@case("a {name} segment captures one segment into params", points=2)
def parameters_capture(t):
    router = router_with(t, ("/users/{id}", "show_user"),
                         ("/users/{user}/posts/{post}", "show_post"),
                         ("/{lang}", "home_in"))
    match(t, router, "/users/42")
    match(t, router, "/users/ada/posts/7")
    match(t, router, "/fr")
    match(t, router, "/users/{id}", "a path segment that looks like a parameter is text")


@case("a parameter captures exactly one segment, never none and never two", points=2)
def parameter_takes_exactly_one(t):
    router = router_with(t, ("/files/{name}", "file"), ("/users/{id}/posts", "posts"))
    match(t, router, "/files", "nothing left for {name}")
    match(t, router, "/files/", "nothing left for {name}: an empty segment is not captured")
    match(t, router, "/files/a/b", "{name} does not take two segments")
    match(t, router, "/users//posts", "{id} never captures an empty segment")
    match(t, router, "/users/posts", "{id} takes 'posts', then nothing is left")
    match(t, router, "/files/a")


@case("params are named by the matched pattern, even when another pattern names "
      "the same position differently", points=2)
def names_belong_to_the_pattern(t):
    router = router_with(t, ("/users/{id}", "show_user"),
                         ("/users/{name}/posts", "user_posts"),
                         ("/users/{who}/posts/{n}", "user_post"))
    match(t, router, "/users/7")
    match(t, router, "/users/ada/posts")
    match(t, router, "/users/bob/posts/3")
    match(t, router, "/users/7", "again, after the others")


@case("handlers are returned as they were given, even falsy ones")
def any_handler(t):
    router = router_with(t, ("/zero", 0), ("/empty", ""), ("/n/{n}", 3))
    match(t, router, "/zero")
    match(t, router, "/empty")
    match(t, router, "/n/x")
    match(t, router, "/none")


# ---------------------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------------------


@case("adding a pattern whose shape is already added raises ValueError, whatever the "
      "parameter names", points=3)
def duplicate_shapes(t):
    router = router_with(t, ("/users/{id}", "show_user"), ("/users", "list_users"),
                         ("/", "home"))
    add(t, router, "/users/{id}", "twice", "the very same pattern")
    add(t, router, "/users/{name}", "renamed", "the same shape, another parameter name")
    add(t, router, "/users/{id}/", "trailing", "the same shape, a trailing '/'")
    add(t, router, "/users/", "trailing", "the same shape as '/users'")
    add(t, router, "/", "home again", "the root twice")
    add(t, router, "/{a}/{b}", "pair")
    add(t, router, "/{x}/{y}", "pair again", "the same shape as '/{a}/{b}'")


@case("patterns of different shapes are all accepted", points=2)
def different_shapes(t):
    router = new(t)
    add(t, router, "/users/{id}", "show_user")
    add(t, router, "/users/new", "new_user", "a static segment where another has a parameter")
    add(t, router, "/users/{id}/posts", "posts", "longer")
    add(t, router, "/{section}/{id}", "any_pair", "a parameter where another is static")
    add(t, router, "/users", "list_users", "shorter")
    add(t, router, "/{a}/x", "a_x")
    add(t, router, "/x/{a}", "x_a", "the same segments, the parameter elsewhere")
    match(t, router, "/users/new")
    match(t, router, "/users/5/posts")
    match(t, router, "/users")
    match(t, router, "/q/x")
    match(t, router, "/x/q")


# ---------------------------------------------------------------------------------------
# Preference and backtracking
# ---------------------------------------------------------------------------------------


@case("a static segment is preferred to a parameter, whatever the order of add()",
      points=3)
def static_preferred(t):
    router = router_with(t, ("/users/{id}", "show_user"), ("/users/new", "new_user"))
    match(t, router, "/users/new", "static 'new' beats {id}")
    match(t, router, "/users/7")
    router = router_with(t, ("/users/new", "new_user"), ("/users/{id}", "show_user"))
    match(t, router, "/users/new", "static 'new' beats {id}")
    match(t, router, "/users/8")


@case("when the static branch fails deeper, the parameter branch is tried "
      "(backtracking)", points=3)
def backtracking(t):
    router = router_with(t, ("/a/b/c", "abc"), ("/a/{x}/d", "axd"))
    match(t, router, "/a/b/c")
    match(t, router, "/a/b/d", "'b' fails at 'd': backtrack to {x}")
    match(t, router, "/a/q/d")
    match(t, router, "/a/b/e", "neither branch")
    router = router_with(t, ("/users/new", "new_user"),
                         ("/users/{id}/posts/{post}", "show_post"))
    match(t, router, "/users/new/posts/9", "'new' has no deeper pattern: {id} takes it")
    router = router_with(t, ("/{a}/{b}/z", "ppz"), ("/k/{b}/y", "kpy"), ("/k/m/x", "kmx"))
    match(t, router, "/k/m/z", "two levels of backtracking")
    match(t, router, "/k/m/y", "one level of backtracking")
    match(t, router, "/k/m/x")


@case("the preference is decided segment by segment from the left, not by counting "
      "static segments", points=2)
def leftmost_segment_decides(t):
    router = router_with(t, ("/{a}/x/y", "pxy"), ("/p/{b}/{c}", "ppp"))
    match(t, router, "/p/x/y", "the first segment is static in '/p/{b}/{c}'")
    match(t, router, "/q/x/y")
    router = router_with(t, ("/p/{b}/{c}", "ppp"), ("/{a}/x/y", "pxy"))
    match(t, router, "/p/x/y", "the first segment is static in '/p/{b}/{c}'")
    router = router_with(t, ("/p/{b}/z", "pbz"), ("/p/x/{c}", "pxc"))
    match(t, router, "/p/x/z", "the second segment is static in '/p/x/{c}'")


@case("an empty router, and an empty segment of a path, match nothing")
def nothing_matches(t):
    router = new(t)
    match(t, router, "/users")
    router = router_with(t, ("/{a}", "one"))
    match(t, router, "/", "{a} needs a segment")


# ---------------------------------------------------------------------------------------
# Random routers: whatever the reference does, the submission must do the same.
# ---------------------------------------------------------------------------------------

STATIC = ["a", "b", "c"]
NAMES = ["id", "key", "slug"]
PATH_SEGMENTS = ["a", "b", "c", "d"]


def random_pattern(rng):
    """A pattern of 0 to 4 segments; now and then doubled or trailing slashes."""
    parts = []
    for position in range(rng.randint(0, 4)):
        if rng.random() < 0.4:
            parts.append("{" + rng.choice(NAMES) + str(position) + "}")
        else:
            parts.append(rng.choice(STATIC))
    text = "/" + "/".join(parts)
    if parts and rng.random() < 0.15:
        text += "/"
    if len(parts) > 1 and rng.random() < 0.15:
        text = text.replace("/", "//", 1)
    return text


def shape(pattern):
    """The shape of a pattern as the README defines it: its static segments, and None
    where a parameter stands."""
    return tuple(None if segment.startswith("{") else segment
                 for segment in pattern.split("/") if segment)


@random_case("random patterns (some of the same shape) and random paths", runs=40,
             points=3)
def random_routers(t, rng):
    patterns = [random_pattern(rng) for _ in range(rng.randint(3, 12))]
    paths = ["/" + "/".join(rng.choice(PATH_SEGMENTS) for _ in range(rng.randint(0, 4)))
             for _ in range(15)]
    # Every pattern goes into one router, to see which adds raise ValueError. The paths
    # are matched on a second router that gets only the first pattern of each shape, so
    # nothing depends on what a refused add() left behind (the README does not say).
    router = new(t)
    for number, pattern in enumerate(patterns):
        add(t, router, pattern, f"h{number}")
    router = new(t)
    shapes = set()
    for number, pattern in enumerate(patterns):
        if shape(pattern) not in shapes:
            shapes.add(shape(pattern))
            add(t, router, pattern, f"h{number}")
    for path in paths:
        match(t, router, path)
