# main() starts a pool but is only called under the guard; asyncio code defined only.
import asyncio
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


async def amain():
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(1) as ex:
        return await loop.run_in_executor(ex, square, 9)


def main():
    print(asyncio.run(amain()))


if __name__ == "__main__":
    main()
