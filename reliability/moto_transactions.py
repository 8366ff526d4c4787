"""moto's TransactWriteItems under concurrency: does a cancelled transaction take other writes with it?

moto (dynamodb/models/__init__.py, transact_write_items) deep-copies every table a transaction touches, applies
its actions one by one and, when one of them fails its condition, puts the copies back in place of the tables.
It takes no lock, so a write another request committed in between is undone with them. DynamoDB isolates
transactions; this proof measures how often moto does not, in the app's own shape: writers store new items with
a condition (as the metadata consumer stores a new image's state), while other transactions on the same table
fail their conditions (as a redelivered, already stored state does after a cut-off stop).

    reliability/run.sh moto-transactions [writes]

Two runs on one moto: the control (writers alone) and the race (writers beside cancelled transactions). For
each: the writes moto acknowledged, the items found afterwards, the acknowledged writes lost.
"""
import concurrent.futures
import sys
import threading

from botocore.exceptions import ClientError

from harness import Moto, log, report

WRITES = int(sys.argv[1]) if len(sys.argv) > 1 else 400
PADDING = 500  # items already in the table: its copy takes as long as an indexed table's would
WRITERS, CANCELLERS = 8, 4


def table(ddb, name):
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    for i in range(PADDING):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"padding-{i}"}, "data": {"S": "x" * 200}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "stored"}})


def new_item(name, key):
    return {"Put": {"TableName": name, "Item": {"pk": {"S": key}},
                    "ConditionExpression": "attribute_not_exists(pk)"}}


def run(ddb, name, with_cancellations):
    table(ddb, name)
    done = threading.Event()
    cancelled, failed = [0], [0]

    def transact(key):
        """One transaction, sent again while moto answers 500 (its copy of a table another request changes fails
        with "dictionary changed size during iteration" before any action is applied); False when cancelled."""
        while True:
            try:
                ddb.transact_write_items(TransactItems=[new_item(name, key)])
                return True
            except ddb.exceptions.TransactionCanceledException:
                return False
            except ClientError as e:
                if e.response["ResponseMetadata"]["HTTPStatusCode"] != 500:
                    raise
                failed[0] += 1

    def cancel():
        while not done.is_set():
            if not transact("stored"):
                cancelled[0] += 1

    def write(i):
        if not transact(f"image-{i}"):
            raise AssertionError(f"image-{i} was cancelled: it was never written before")
        return f"image-{i}"

    with concurrent.futures.ThreadPoolExecutor(WRITERS + CANCELLERS) as pool:
        cancellers = [pool.submit(cancel) for _ in range(CANCELLERS if with_cancellations else 0)]
        acknowledged = [f.result() for f in [pool.submit(write, i) for i in range(WRITES)]]
        done.set()
        for f in cancellers:
            f.result()
    present = {key for key in acknowledged
               if "Item" in ddb.get_item(TableName=name, Key={"pk": {"S": key}}, ConsistentRead=True)}
    lost = len(acknowledged) - len(present)
    return f"{len(acknowledged)} writes acknowledged, {len(present)} found, {lost} lost; " \
           f"{cancelled[0]} transactions cancelled beside them; {failed[0]} answers 500 sent again", lost


def main():
    moto = Moto()
    try:
        log(f"control: {WRITES} conditional writes, {WRITERS} at a time, alone")
        control, control_lost = run(moto.ddb, "txn-control", False)
        log(f"race: the same beside {CANCELLERS} threads of transactions that fail their condition")
        race, race_lost = run(moto.ddb, "txn-race", True)
    finally:
        moto.stop()
    lines = [f"control (writers alone): {control}", f"race (writers beside cancelled transactions): {race}",
             "moto undoes acknowledged writes when a concurrent transaction is cancelled: "
             + ("yes" if race_lost > 0 and control_lost == 0 else "not seen in this run")]
    # the proof is of the emulator: it passes when it measured both runs; the verdict is the last line
    return report("moto-transactions", lines, control_lost == 0)


if __name__ == "__main__":
    sys.exit(main())
