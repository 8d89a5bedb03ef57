"""Cases for the top_words exercise (see README.md for the rules they check)."""
from pykata_harness import case, random_case

REQUIRED = ["top_words"]


def top(t, text, n):
    """Call top_words(text, n), labelled as the call a learner would type."""
    return t.call(f"top_words({text!r}, {n!r})", t.module.top_words, text, n)


# ---------------------------------------------------------------------------------------
# The ranking
# ---------------------------------------------------------------------------------------


@case("the most common words come first, with their counts", points=2)
def most_common_first(t):
    top(t, "red blue red green red blue", 3)
    top(t, "one two two three three three", 2)
    top(t, "solo", 1)


@case("ties are in alphabetical order (not in order of first appearance)", points=2)
def ties_alphabetical(t):
    top(t, "pear fig apple fig pear apple kiwi", 4)
    top(t, "zeta eta beta alpha", 2)
    top(t, "b b a a c c d", 3)


@case("the result is a list of (word, count) tuples")
def list_of_tuples(t):
    result = top(t, "ham spam spam", 2)
    t.note("type of the result", type(result).__name__)
    t.note("types of its items", [type(item).__name__ for item in result or []])


@case("n <= 0 gives []", points=2)
def n_not_positive(t):
    top(t, "a b c a", 0)
    top(t, "a b c a", -1)
    top(t, "a b c a", -2)


@case("an n above the number of distinct words gives them all")
def n_too_big(t):
    top(t, "x y x", 3)
    top(t, "x y x", 100)


@case("an empty text, or a text without words, gives []")
def no_words(t):
    top(t, "", 3)
    top(t, "   ", 3)
    top(t, "123 -- 456 !!!", 3)
    top(t, "' '' '''", 3)


# ---------------------------------------------------------------------------------------
# What a word is
# ---------------------------------------------------------------------------------------


@case("the text is lower-cased: The, the and THE are one word", points=2)
def lower_cased(t):
    top(t, "The the THE tHe cat", 2)
    top(t, "Hello WORLD hello", 5)


@case("digits, _, - and punctuation end a word (only ASCII letters and ' make one)", points=2)
def other_characters_split(t):
    top(t, "abc123def abc", 5)
    top(t, "snake_case well-known snake", 5)
    top(t, "end.start,end;start:end!start?end", 5)
    top(t, "tab\tnew\nline tab", 5)


@case("non-ASCII letters end a word: café is caf, naïve is na and ve")
def non_ascii_letters_split(t):
    top(t, "café naïve café", 5)
    top(t, "jalapeño über", 5)


# Only characters that lower() and casefold() treat alike: "lower-case the text" does not
# say which of the two (the long s \u017f, for one, is s only after casefold()).
@case("the text is lower-cased before the runs are found (the Kelvin sign \u212a is k, "
      "the dotless \u0131 is no ASCII letter)")
def lower_case_before_matching(t):
    top(t, "\u212aing king", 5)
    top(t, "\u212aELVIN kelvin K", 5)
    top(t, "d\u0131d did", 5)


@case("apostrophes inside a word stay: don't, rock'n'roll")
def inner_apostrophes(t):
    top(t, "don't dont don't", 5)
    top(t, "rock'n'roll rock", 5)


@case("apostrophes are stripped from both ends: 'quoted' is quoted, dogs' is dogs", points=2)
def strip_apostrophes(t):
    top(t, "'quoted' quoted", 5)
    top(t, "the dogs' dogs", 5)
    top(t, "'tis ''twas'' tis", 5)


@case("a run of apostrophes only is no word")
def apostrophes_only(t):
    top(t, "' a '' b ''' a", 5)


# ---------------------------------------------------------------------------------------
# Random texts
# ---------------------------------------------------------------------------------------

# No two words differ first at an apostrophe, so "alphabetical" cannot be read two ways.
_VOCABULARY = [
    "a", "an", "and", "ant", "be", "bee", "cat", "cats", "don't", "dog", "it's", "o'clock",
    "rock'n'roll", "the", "then", "zoo",
]
_SPELLINGS = {
    "don't": ["don't", "Don't", "'don't'", "DON'T'"],
    "it's": ["it's", "It's", "'it's"],
}
_SEPARATORS = [" ", "  ", "\n", ", ", ". ", "! ", " - ", "1", "_", "\u00e9", " '' ", "(", ")"]


def _spelling(rng, word):
    forms = _SPELLINGS.get(word)
    if forms is not None:
        return rng.choice(forms)
    roll = rng.random()
    if roll < 0.15:
        return word.upper()
    if roll < 0.3:
        return word.capitalize()
    if roll < 0.4:
        return "'" + word + rng.choice(["'", "''", ""])
    return word


@random_case("random texts and n, compared with the reference", runs=30, points=3)
def random_texts(t, rng):
    vocabulary = rng.sample(_VOCABULARY, rng.randint(1, len(_VOCABULARY)))
    pieces = []
    for _ in range(rng.randint(0, 60)):
        pieces.append(_spelling(rng, rng.choice(vocabulary)))
        pieces.append(rng.choice(_SEPARATORS))
    text = "".join(pieces)
    n = rng.choice([rng.randint(-2, 0), rng.randint(1, 5), rng.randint(1, 20)])
    top(t, text, n)
