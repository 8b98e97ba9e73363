"""A tiny command line that enqueues the test tasks and reads job states in a database of the
test's choosing (the environment's DATABASE_URL / RAWAN_DATA_DIR):

    python -m tests.web.worker_cli enqueue count_slowly '[20, 0.3, "/tmp/marks"]'   -> prints the job id
    python -m tests.web.worker_cli state <job id>                                    -> prints the job as JSON
"""

from __future__ import annotations

import json
import sys


def as_dict(job) -> dict:
    return {"id": job.id, "state": str(job.state), "attempts": job.attempts, "max_attempts": job.max_attempts,
            "done": job.progress_done, "total": job.progress_total, "note": job.progress_note,
            "error": job.error, "return_value": job.return_value, "worker_ids": job.result.worker_ids}


def main(argv: list[str]) -> None:
    from rawan.web import migrate, setup

    setup()
    from rawan.web import tasks

    from . import worker_tasks

    if argv[0] == "enqueue":
        migrate()
        task = getattr(worker_tasks, argv[1])
        args = json.loads(argv[2]) if len(argv) > 2 else []
        print(tasks.enqueue(task, *args, subject="test").id)
    elif argv[0] == "state":
        print(json.dumps(as_dict(tasks.job(argv[1]))))


if __name__ == "__main__":
    main(sys.argv[1:])
