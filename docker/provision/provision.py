"""Provision digiads' AWS resources in the moto emulator (docker compose service "provision", and
reliability/harness.py).

The resources and their settings come from infra/resources.json, the one definition that the local
run and the tests (src/test/java/digiads/local/AwsResources.java) provision as well and that
infra/digiads.yaml creates on AWS: the bucket with its event notification, each queue with its
visibility timeout, retention and dead-letter queue (redrive policy), the table with its key, billing
mode and TTL attribute, the label index table with its keys. The definition is read from $RESOURCES_DEFINITION (compose mounts it), else
from infra/resources.json of the repository this script is in.

Idempotent: running it again against a provisioned emulator changes nothing and succeeds.
Every name can be overridden with the application's own environment variables (DIGIADS_S3_BUCKET,
DIGIADS_SQS_EVENTS_QUEUE, ...; the definition's names are their defaults), so the emulator and the
app cannot disagree. Needs only boto3, which the moto image ships.
"""

import json
import os
import sys
import time
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def setting(name, default):
    value = os.environ.get(name, "").strip()
    return value or default


def definition_file():
    configured = setting("RESOURCES_DEFINITION", "")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "infra" / "resources.json"


def load_definition():
    with open(definition_file(), encoding="utf-8") as f:
        return json.load(f)


DEFINITION = load_definition()
ENDPOINT = setting("DIGIADS_AWS_ENDPOINT_OVERRIDE", "http://localhost:4566")
REGION = setting("DIGIADS_AWS_REGION", "us-east-1")


def client(service):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=setting("DIGIADS_AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=setting("DIGIADS_AWS_SECRET_ACCESS_KEY", "test"),
        # path-style addressing, as the app uses against an emulator
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5, "mode": "standard"}),
    )


def wait_for_emulator(timeout_seconds=60):
    sqs = client("sqs")
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            sqs.list_queues()
            return
        except Exception as e:  # connection refused while moto starts
            if time.monotonic() > deadline:
                raise SystemExit(f"moto did not answer at {ENDPOINT} within {timeout_seconds}s: {e}")
            time.sleep(1)


def queue(sqs, name, attributes):
    """Creates the queue (or finds it) and (re)applies its attributes; returns its ARN."""
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={k: str(v) for k, v in attributes.items()})
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    print(f"queue  {name}: {url} {attributes}")
    return arn


def queues(sqs):
    """Each queue of the definition after its dead-letter queue; returns {role: queue ARN}."""
    arns = {}
    for role, definition in DEFINITION["queues"].items():
        variable = f"DIGIADS_SQS_{role.upper()}"  # the app's digiads.sqs.{role}-queue and -dlq
        dlq = definition["deadLetterQueue"]
        dlq_arn = queue(sqs, setting(variable + "_DLQ", dlq["name"]),
                        {"MessageRetentionPeriod": dlq["messageRetentionSeconds"]})
        redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(dlq["maxReceiveCount"])}
        arns[role] = queue(sqs, setting(variable + "_QUEUE", definition["name"]), {
            "VisibilityTimeout": definition["visibilityTimeoutSeconds"],
            "MessageRetentionPeriod": definition["messageRetentionSeconds"],
            "RedrivePolicy": json.dumps(redrive),
        })
    return arns


def bucket(s3, queue_arns):
    definition = DEFINITION["bucket"]
    name = setting("DIGIADS_S3_BUCKET", definition["name"])
    prefix = setting("DIGIADS_S3_KEY_PREFIX", definition["keyPrefix"])
    notification = definition["notification"]
    try:
        s3.create_bucket(Bucket=name)
    except ClientError as e:
        if e.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise
    configuration = {
        "Id": notification["id"],
        "QueueArn": queue_arns[notification["queue"]],
        "Events": notification["events"],
    }
    if notification["filterByKeyPrefix"]:
        # moto (like S3) wants the rule name in lower case
        configuration["Filter"] = {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}}
    s3.put_bucket_notification_configuration(
        Bucket=name, NotificationConfiguration={"QueueConfigurations": [configuration]})
    under = f" under '{prefix}'" if notification["filterByKeyPrefix"] else ""
    print(f"bucket {name}: {', '.join(notification['events'])}{under} -> {configuration['QueueArn']}")
    # the page PUTs presigned uploads straight to the bucket from its origin
    cors = definition["cors"]
    origins = cors["localOrigins"]
    s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [{
        "AllowedOrigins": origins, "AllowedMethods": cors["allowedMethods"],
        "AllowedHeaders": cors["allowedHeaders"], "MaxAgeSeconds": cors["maxAgeSeconds"]}]})
    print(f"bucket {name}: CORS {', '.join(cors['allowedMethods'])} from {', '.join(origins)}")


def table(dynamodb):
    definition = DEFINITION["table"]
    name = setting("DIGIADS_DYNAMODB_TABLE", definition["name"])
    key = definition["partitionKey"]
    gallery = definition["galleryIndex"]
    try:
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": key["name"], "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": a["name"], "AttributeType": a["type"]}
                                  for a in (key, gallery["partitionKey"], gallery["sortKey"])],
            GlobalSecondaryIndexes=[{
                "IndexName": gallery["name"],
                "KeySchema": [{"AttributeName": gallery["partitionKey"]["name"], "KeyType": "HASH"},
                              {"AttributeName": gallery["sortKey"]["name"], "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": gallery["projection"]},
            }],
            BillingMode=definition["billingMode"],
        )
    except ClientError as e:
        if e.response["Error"]["Code"] != "ResourceInUseException":
            raise
    dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    # tombstones of deleted images expire through the TTL attribute
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        dynamodb.update_time_to_live(TableName=name,
                                     TimeToLiveSpecification={"Enabled": True, "AttributeName": definition["ttlAttribute"]})
    print(f"table  {name}: {key['name']} ({key['type']}), {definition['billingMode']}, TTL on {definition['ttlAttribute']}, "
          f"index {gallery['name']}")


def topics(sns):
    """The topics of the definition (live updates); each instance subscribes its own queue at start."""
    for role, definition in DEFINITION["topics"].items():
        # the app names the updates topic by its ARN (digiads.live.updates.topic-arn)
        arn = os.environ.get("DIGIADS_LIVE_UPDATES_TOPIC_ARN", "").strip() if role == "updates" else ""
        name = arn.rsplit(":", 1)[-1] if arn else definition["name"]
        arn = sns.create_topic(Name=name)["TopicArn"]
        print(f"topic  {name}: {arn}")


def labels_table(dynamodb):
    """The label index: partition and sort key, no TTL (its items leave with their image's state)."""
    definition = DEFINITION["labelsTable"]
    name = setting("DIGIADS_DYNAMODB_LABELS_TABLE", definition["name"])
    keys = [(definition["partitionKey"], "HASH"), (definition["sortKey"], "RANGE")]
    try:
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": key["name"], "KeyType": kind} for key, kind in keys],
            AttributeDefinitions=[{"AttributeName": key["name"], "AttributeType": key["type"]} for key, _ in keys],
            BillingMode=definition["billingMode"],
        )
    except ClientError as e:
        if e.response["Error"]["Code"] != "ResourceInUseException":
            raise
    dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    print(f"table  {name}: {', '.join(key['name'] + ' (' + key['type'] + ')' for key, _ in keys)}, {definition['billingMode']}")


def main():
    wait_for_emulator()
    sqs, s3, dynamodb, sns = client("sqs"), client("s3"), client("dynamodb"), client("sns")
    bucket(s3, queues(sqs))
    table(dynamodb)
    labels_table(dynamodb)
    topics(sns)
    print(f"Provisioned the resources of {definition_file()} in {ENDPOINT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
