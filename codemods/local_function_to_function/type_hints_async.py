# Type hints and defaults that read module names, and asyncio around the pool.
import asyncio
from concurrent.futures import ProcessPoolExecutor
from typing import List

SCALE: int = 3


async def main() -> None:
    loop = asyncio.get_running_loop()

    def weigh(items: List[int], scale: int = SCALE) -> int:
        return sum(items) * scale

    with ProcessPoolExecutor(2) as pool:
        print(await loop.run_in_executor(pool, weigh, [1, 2, 3]))


if __name__ == "__main__":
    asyncio.run(main())
