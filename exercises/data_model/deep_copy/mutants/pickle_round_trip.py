# expect: copy 'a different object: it must be shared, not copied'
# why: copies through pickle.dumps/loads, which handles sharing and cycles but also recreates every other object (numbers, strings, instances), which must be shared.
import pickle


def deep_copy(obj):
    return pickle.loads(pickle.dumps(obj))
