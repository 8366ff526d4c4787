"""infra/resources.json is the one definition of the AWS resources; the template creates exactly them.

A resource of the template is matched to the definition by its name: the parameter its QueueName,
BucketName, TableName or TopicName refers to defaults to the definition's name. Compared: the queues'
visibility timeout, retention and redrive (count and target), the dead-letter queues' retention, the
bucket's notification (queue, events, prefix filter) and CORS rule, the tables' keys, billing mode, TTL
attribute and the gallery index. The app's defaults and the emulator setups: ResourceDefinitionTest.
"""
import json

from digiads_rules import ROOT, as_list, ref, template, template_rule

NAME_PROPERTY = {"AWS::SQS::Queue": "QueueName", "AWS::S3::Bucket": "BucketName",
                 "AWS::DynamoDB::Table": "TableName", "AWS::SNS::Topic": "TopicName"}


def definition() -> dict:
    return json.loads((ROOT / "infra/resources.json").read_text())


def name_of(resource: dict):
    """The default of the parameter the resource's name property refers to (None: no such name)."""
    value = resource.get("Properties", {}).get(NAME_PROPERTY.get(resource.get("Type"), ""))
    return template().get("Parameters", {}).get(ref(value), {}).get("Default") if isinstance(value, dict) else None


def named(type_: str, name: str):
    found = [i for i, r in template()["Resources"].items() if r.get("Type") == type_ and name_of(r) == name]
    return found[0] if len(found) == 1 else None


def compare(name, pairs):
    for what, found, wanted in pairs:
        if found != wanted:
            yield f"{name}: {what} is {found}, not {wanted} (infra/resources.json)"


def key_schema(*keys):
    return [{"AttributeName": k["name"], "KeyType": kind} for k, kind in zip(keys, ("HASH", "RANGE"))]


def attributes(*keys):
    return sorted(({"AttributeName": k["name"], "AttributeType": k["type"]} for k in keys),
                  key=lambda a: a["AttributeName"])


@template_rule("DIGIADS_DEF_1", "Queues are infra/resources.json's: names, visibility timeout, retention, redrive "
                                "(target and count); the definition's queues are all of the template's",
               "AWS::SQS::Queue")
def queues(name, queue):
    properties = queue.get("Properties", {})
    defined = {q["name"]: q for q in definition()["queues"].values()}
    dlqs = {q["deadLetterQueue"]["name"]: q["deadLetterQueue"] for q in definition()["queues"].values()}
    own = name_of(queue)
    if own in defined:
        q = defined[own]
        redrive = properties.get("RedrivePolicy") or {}
        yield from compare(name, [
            ("VisibilityTimeout", properties.get("VisibilityTimeout"), q["visibilityTimeoutSeconds"]),
            ("MessageRetentionPeriod", properties.get("MessageRetentionPeriod"), q["messageRetentionSeconds"]),
            ("the redrive target", ref(redrive.get("deadLetterTargetArn")),
             f"{named('AWS::SQS::Queue', q['deadLetterQueue']['name']) or 'the queue named ' + q['deadLetterQueue']['name']}.Arn"),
            ("maxReceiveCount", redrive.get("maxReceiveCount"), q["deadLetterQueue"]["maxReceiveCount"])])
    elif own in dlqs:
        yield from compare(name, [("MessageRetentionPeriod", properties.get("MessageRetentionPeriod"),
                                   dlqs[own]["messageRetentionSeconds"]),
                                  ("its own VisibilityTimeout or RedrivePolicy",
                                   bool({"VisibilityTimeout", "RedrivePolicy"} & set(properties)), False)])
    else:
        yield f"{name} (named {own}) is no queue of infra/resources.json"
    for wanted in [*defined, *dlqs]:
        if named("AWS::SQS::Queue", wanted) is None:
            yield f"no queue of the template is named {wanted}"


@template_rule("DIGIADS_DEF_2", "The image bucket notifies the queue, of the events, under the prefix and lets the "
                                "page upload as infra/resources.json says", "AWS::S3::Bucket")
def bucket(name, resource):
    spec = definition()["bucket"]
    if name_of(resource) != spec["name"]:
        return  # the access-log bucket
    properties = resource.get("Properties", {})
    queue_arn = f"{named('AWS::SQS::Queue', definition()['queues'][spec['notification']['queue']]['name'])}.Arn"
    configurations = as_list((properties.get("NotificationConfiguration") or {}).get("QueueConfigurations"))
    prefix = {"Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": {"Ref": "KeyPrefix"}}]}}} \
        if spec["notification"]["filterByKeyPrefix"] else {}
    cors = as_list((properties.get("CorsConfiguration") or {}).get("CorsRules"))
    rule = cors[0] if len(cors) == 1 else {}
    yield from compare(name, [
        ("the notified events", sorted(c.get("Event") for c in configurations),
         sorted(spec["notification"]["events"])),
        ("the notifications", [dict(c, Event=None, Queue=ref(c.get("Queue"))) for c in configurations],
         [dict(prefix, Event=None, Queue=queue_arn)] * len(configurations)),
        ("KeyPrefix's default", template()["Parameters"]["KeyPrefix"].get("Default"), spec["keyPrefix"]),
        ("the number of CORS rules", len(cors), 1),
        ("AllowedMethods", rule.get("AllowedMethods"), spec["cors"]["allowedMethods"]),
        ("AllowedHeaders", rule.get("AllowedHeaders"), spec["cors"]["allowedHeaders"]),
        ("MaxAge", rule.get("MaxAge"), spec["cors"]["maxAgeSeconds"]),
        ("AllowedOrigins (the page's own origin)", rule.get("AllowedOrigins"), [{"Fn::Sub": "https://${HostName}"}])])


@template_rule("DIGIADS_DEF_3", "The tables are infra/resources.json's two: keys, billing mode, TTL attribute and the "
                                "gallery index", "AWS::DynamoDB::Table")
def tables(name, resource):
    properties = resource.get("Properties", {})
    table, labels = definition()["table"], definition()["labelsTable"]
    if name_of(resource) == table["name"]:
        gallery = table["galleryIndex"]
        indexes = as_list(properties.get("GlobalSecondaryIndexes"))
        yield from compare(name, [
            ("KeySchema", properties.get("KeySchema"), key_schema(table["partitionKey"])),
            ("AttributeDefinitions", sorted(properties.get("AttributeDefinitions", []), key=lambda a: a["AttributeName"]),
             attributes(table["partitionKey"], gallery["partitionKey"], gallery["sortKey"])),
            ("BillingMode", properties.get("BillingMode"), table["billingMode"]),
            ("TimeToLiveSpecification", properties.get("TimeToLiveSpecification"),
             {"AttributeName": table["ttlAttribute"], "Enabled": True}),
            ("GlobalSecondaryIndexes", indexes, [{"IndexName": gallery["name"],
                                                  "KeySchema": key_schema(gallery["partitionKey"], gallery["sortKey"]),
                                                  "Projection": {"ProjectionType": gallery["projection"]}}])])
    elif name_of(resource) == labels["name"]:
        yield from compare(name, [
            ("KeySchema", properties.get("KeySchema"), key_schema(labels["partitionKey"], labels["sortKey"])),
            ("AttributeDefinitions", properties.get("AttributeDefinitions"),
             attributes(labels["partitionKey"], labels["sortKey"])),
            ("BillingMode", properties.get("BillingMode"), labels["billingMode"]),
            ("a TTL (its items leave with their image's state)", "TimeToLiveSpecification" in properties, False)])
    else:
        yield f"{name} (named {name_of(resource)}) is no table of infra/resources.json"


@template_rule("DIGIADS_DEF_4", "The topics are infra/resources.json's", "AWS::SNS::Topic")
def topics(name, resource):
    names = {t["name"] for t in definition()["topics"].values()}
    if "TopicName" in resource.get("Properties", {}) and name_of(resource) not in names:
        yield f"{name} (named {name_of(resource)}) is no topic of infra/resources.json"
    for wanted in names:
        if named("AWS::SNS::Topic", wanted) is None:
            yield f"no topic of the template is named {wanted}"
