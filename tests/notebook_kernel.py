"""Runs a notebook through a real Jupyter kernel (nbclient and ipykernel) and prints what its cells print.

Usage: python notebook_kernel.py NOTEBOOK [TIMEOUT]

The kernel runs in the notebook's folder, with this process's environment: a `sitecustomize.py` on
PYTHONPATH that sets the default start method (tests/notebook.rs writes it) reaches the kernel and the
processes it starts. Prints the text of every stream output (stdout) in cell order. Exit status: 0 when
every cell ran; 1 with the error's name and message on stderr when a cell raised; 3 when a cell did not
finish within TIMEOUT seconds (a pool whose worker cannot unpickle its task waits forever).
"""

import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


# A kernel that dies before it answers did not run the notebook: jupyter_client picks free TCP ports, and
# a kernel started at the same moment may bind one of them first ("Address already in use"). Such a
# start is tried again; a failure of the notebook's own code never is.
STARTS = 3


def main():
    path = os.path.abspath(sys.argv[1])
    timeout = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    for start in range(1, STARTS + 1):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": os.path.dirname(path)}},
        )
        status = 0
        try:
            client.execute()
        except CellTimeoutError as error:
            print(f"timeout: {str(error).splitlines()[0]}", file=sys.stderr)
            status = 3
        except CellExecutionError as error:
            print(f"{error.ename}: {error.evalue}", file=sys.stderr)
            status = 1
        except RuntimeError as error:
            if "Kernel died before replying" not in str(error) or start == STARTS:
                raise
            print(f"the kernel did not start ({error}); starting it again", file=sys.stderr)
            continue
        break
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                sys.stdout.write(output.get("text", ""))
            elif output.get("output_type") == "stream":
                sys.stderr.write(output.get("text", ""))
    sys.exit(status)


if __name__ == "__main__":
    main()
