# One region's emulator: moto's server, started by the local stack (MotoRuntime) with three changes made inside
# the process, where moto takes them.
import os
import runpy
import sys
import threading
import time

# 1. The process outlives its parent by at most half a second, so a JVM killed with SIGKILL (no shutdown hook
#    runs) leaves no emulator behind.
parent = int(os.environ.get("IOTDR_PARENT_PID") or os.getppid())


def watch():
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


threading.Thread(target=watch, daemon=True).start()

# 2. As AWS: a certificate's id is the SHA-256 of its DER (moto's default hashes the PEM text), so the local data
#    plane, which sees only the DER in the TLS handshake, finds it by the same id.
from moto.core.config import default_user_config  # noqa: E402

default_user_config["iot"]["use_valid_cert"] = True

# 3. A performance fix, no change of behaviour: moto's SendMessage, SendMessageBatch (per entry) and
#    ReceiveMessage (per message returned, for the retention period) read one queue setting through the queue's
#    whole attribute map, which counts the visible, the in-flight and the delayed messages: three passes over the
#    queue for every message. With a backlog of a few thousand messages every send then costs tens of
#    milliseconds and a fleet's topic rules saturate the region's emulator (bench/RESULTS.md). While those three
#    calls run (they read settings only, never the counts) the counts are not taken; GetQueueAttributes and
#    everything else count as before. Skipped, with a note, for any moto but 5.2.1 (the one it was read for);
#    IOTDR_MOTO_QUEUE_COUNTS=per-message leaves moto as it is (the baseline of ./drctl bench emulator-queue).


def _count_queues_only_when_asked():
    import moto

    if moto.__version__ != "5.2.1":
        # read for 5.2.1 only: another version may read a count while sending, which this would make 0
        print(f"iotdr: moto {moto.__version__} is not 5.2.1; its SQS is left as it is", file=sys.stderr)
        return
    from moto.sqs import models as sqs_models

    counts = (
        "approximate_number_of_messages",
        "approximate_number_of_messages_delayed",
        "approximate_number_of_messages_not_visible",
    )
    settings_readers = ("send_message", "send_message_batch", "is_message_valid_based_on_retention_period")
    if not all(isinstance(getattr(sqs_models.Queue, name, None), property) for name in counts) or not all(
        callable(getattr(sqs_models.SQSBackend, name, None)) for name in settings_readers
    ):
        print("iotdr: this moto's SQS differs from 5.2.1; its sends stay O(queue length)", file=sys.stderr)
        return
    settings_only = threading.local()

    def uncounted_while_reading_settings(count):
        def counted(queue):
            return 0 if getattr(settings_only, "depth", 0) else count(queue)

        return property(counted)

    def reads_settings_only(method):
        def call(*args, **kwargs):
            settings_only.depth = getattr(settings_only, "depth", 0) + 1
            try:
                return method(*args, **kwargs)
            finally:
                settings_only.depth -= 1

        return call

    for name in counts:
        setattr(sqs_models.Queue, name, uncounted_while_reading_settings(getattr(sqs_models.Queue, name).fget))
    for name in settings_readers:
        setattr(sqs_models.SQSBackend, name, reads_settings_only(getattr(sqs_models.SQSBackend, name)))


if os.environ.get("IOTDR_MOTO_QUEUE_COUNTS") != "per-message":
    _count_queues_only_when_asked()

sys.argv = ["moto_server"] + sys.argv[1:]
runpy.run_module("moto.server", run_name="__main__", alter_sys=True)
