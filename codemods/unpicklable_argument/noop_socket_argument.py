# A socket passed to Process(args=...) is reduced by multiprocessing: no finding.
import socket
import multiprocessing


def work(sock):
    print("got", type(sock).__name__, flush=True)
    sock.close()


if __name__ == "__main__":
    sock = socket.socket()
    proc = multiprocessing.Process(target=work, args=(sock,))
    proc.start()
    proc.join()
    sock.close()
