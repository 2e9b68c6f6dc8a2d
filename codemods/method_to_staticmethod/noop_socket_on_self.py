# A socket on self is fine: multiprocessing reduces sockets when it pickles them. No finding.
import socket
import multiprocessing


class Server:
    def __init__(self):
        self.sock = socket.socket()

    def work(self, x):
        return x * 4

    def run(self):
        try:
            with multiprocessing.Pool(2) as pool:
                return pool.map(self.work, [1, 2])
        finally:
            self.sock.close()


if __name__ == "__main__":
    print(Server().run())
