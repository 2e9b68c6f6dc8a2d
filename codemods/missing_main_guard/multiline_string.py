# Statements that move are re-indented, but never the inside of a triple-quoted string.
from concurrent.futures import ProcessPoolExecutor


def shout(text):
    return text.upper()


with ProcessPoolExecutor(2) as ex:
    banner = """first line
  second line, indented
third line"""
    print(list(ex.map(shout, banner.splitlines())))
