# A local function as Process target under an explicit fork context is never pickled.
import multiprocessing


def main():
    def child():
        print("child ran", flush=True)

    proc = multiprocessing.get_context("fork").Process(target=child)
    proc.start()
    proc.join()


if __name__ == "__main__":
    main()
