# asyncio.run(main()) at module level, with a process pool inside the coroutine.
import asyncio
import concurrent.futures


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        results = await asyncio.gather(*(loop.run_in_executor(pool, fib, n) for n in (10, 15)))
    print(results)


asyncio.run(main())
