# A class defined inside a for loop reads the loop variable: it cannot move, the finding has no fix.
import multiprocessing


def weight(item):
    return item.weight()


def main():
    items = []
    for factor in [1, 2]:
        class Item:
            def weight(self):
                return factor

        items.append(Item())
    with multiprocessing.Pool(2) as pool:
        print(pool.map(weight, items))


if __name__ == "__main__":
    main()
