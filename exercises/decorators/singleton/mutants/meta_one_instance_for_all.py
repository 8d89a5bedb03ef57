# expect: expected Database.__init__ ran with [['db'], {}] next, but got Database('db') to return ('object 1', 'Database')
# why: the metaclass keeps a single `_instance` for every class it creates, so the first class called hands its instance to all the others.


class Singleton:
    _instances = {}

    def __new__(cls, *args, **kwargs):
        if cls not in Singleton._instances:
            Singleton._instances[cls] = super().__new__(cls)
        return Singleton._instances[cls]


class SingletonMeta(type):
    _instance = None

    def __call__(cls, *args, **kwargs):
        if SingletonMeta._instance is None:
            SingletonMeta._instance = super().__call__(*args, **kwargs)
        return SingletonMeta._instance
