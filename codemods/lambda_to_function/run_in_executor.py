# asyncio around a process pool: run_in_executor pickles its function.
import asyncio
import concurrent.futures


async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        result = await loop.run_in_executor(pool, lambda: sum(range(10)))
    print(result)


if __name__ == "__main__":
    asyncio.run(main())
