"""The data resources: queues with their dead-letter queues and alarms, the bucket, the tables, the
secrets and the logs. The names and settings they share with the app are infra/resources.json's
(ResourceDefinitionTest); these rules hold what the template must be whatever the names.
"""
import re

from digiads_rules import as_list, ref, resources_of_type, template, template_rule


def is_dlq(queue: dict) -> bool:
    properties = queue.get("Properties", {})
    return "RedriveAllowPolicy" in properties and "RedrivePolicy" not in properties


@template_rule("DIGIADS_SQS_1", "Every work queue dead-letters to a DLQ that takes only its messages, and a DLQ "
                                "itself has no redrive", "AWS::SQS::Queue")
def dead_letters(name, queue):
    properties = queue.get("Properties", {})
    redrive = properties.get("RedrivePolicy")
    allow = properties.get("RedriveAllowPolicy")
    if redrive is None and allow is None:
        yield f"{name} has no RedrivePolicy (a work queue) and no RedriveAllowPolicy (a DLQ)"
    if redrive is not None and allow is not None:
        yield f"{name} is both a work queue and a DLQ"
    if redrive is not None:
        target = ref(redrive.get("deadLetterTargetArn"))
        dlq = template()["Resources"].get(target.removesuffix(".Arn"), {})
        if not target.endswith(".Arn") or dlq.get("Type") != "AWS::SQS::Queue" or not is_dlq(dlq):
            yield f"{name} dead-letters to {target}, which is no dead-letter queue of the template"
        if not isinstance(redrive.get("maxReceiveCount"), int):
            yield f"{name} has no maxReceiveCount"
    if allow is not None and (allow.get("redrivePermission") != "byQueue" or not allow.get("sourceQueueArns")):
        yield f"{name} takes dead letters from any queue"


@template_rule("DIGIADS_SQS_2", "Every queue has its alarm to the alarm topic: a DLQ on its depth (> 0), a work "
                                "queue on the age of its oldest message (> MaxMessageAgeSeconds)", "AWS::SQS::Queue")
def queue_alarms(name, queue):
    metric, threshold = (("ApproximateNumberOfMessagesVisible", 0) if is_dlq(queue)
                         else ("ApproximateAgeOfOldestMessage", "MaxMessageAgeSeconds"))
    alarms = [a["Properties"] for a in resources_of_type("AWS::CloudWatch::Alarm").values()
              if {ref(d.get("Value")) for d in as_list(a["Properties"].get("Dimensions"))} == {f"{name}.QueueName"}]
    if not any(a.get("MetricName") == metric and str(ref(a.get("Threshold"))) == str(threshold) for a in alarms):
        yield f"{name} has no alarm on {metric} > {threshold}"


@template_rule("DIGIADS_SQS_3", "Alarms watch SQS queues (depth over 0, age over MaxMessageAgeSeconds) and notify the "
                                "alarm topic",
               "AWS::CloudWatch::Alarm")
def alarm_shape(name, alarm):
    properties = alarm.get("Properties", {})
    if properties.get("Namespace") != "AWS/SQS":
        yield f"{name} watches {properties.get('Namespace')}"
    if [ref(a) for a in as_list(properties.get("AlarmActions"))] != ["AlarmTopic"]:
        yield f"{name} notifies {properties.get('AlarmActions')}"
    if properties.get("ComparisonOperator") != "GreaterThanThreshold":
        yield f"{name} compares with {properties.get('ComparisonOperator')}"
    thresholds = {"ApproximateNumberOfMessagesVisible": "0", "ApproximateAgeOfOldestMessage": "MaxMessageAgeSeconds"}
    if properties.get("MetricName") not in thresholds:
        yield f"{name} is an alarm on {properties.get('MetricName')}"
    elif str(ref(properties.get("Threshold"))) != thresholds[properties["MetricName"]]:
        yield f"{name}'s threshold is {ref(properties.get('Threshold'))}, not {thresholds[properties['MetricName']]}"


@template_rule("DIGIADS_SQS_4", "Only S3, for the image bucket of this account, may send to the events queue: "
                                "the one statement of its queue policy", "AWS::SQS::QueuePolicy")
def events_queue_policy(name, policy):
    properties = policy.get("Properties", {})
    if [ref(q) for q in as_list(properties.get("Queues"))] != ["EventsQueue"]:
        yield f"{name} applies to {properties.get('Queues')}"
    statements = as_list(properties.get("PolicyDocument", {}).get("Statement"))
    if len(statements) != 1:
        yield f"{name} has {len(statements)} statements"
        return
    statement = statements[0]
    condition = statement.get("Condition") or {}
    expected = [("Effect", statement.get("Effect"), "Allow"),
                ("Principal", statement.get("Principal"), {"Service": "s3.amazonaws.com"}),
                ("Action", as_list(statement.get("Action")), ["sqs:SendMessage"]),
                ("Resource", ref(statement.get("Resource")), "EventsQueue.Arn"),
                ("aws:SourceArn", ref(condition.get("ArnLike", {}).get("aws:SourceArn")),
                 "arn:${AWS::Partition}:s3:::${BucketName}"),
                ("aws:SourceAccount", ref(condition.get("StringEquals", {}).get("aws:SourceAccount")),
                 "AWS::AccountId")]
    for what, found, wanted in expected:
        if found != wanted:
            yield f"{name}: {what} is {found}, not {wanted}"


@template_rule("DIGIADS_DATA_1", "What holds data is retained on stack deletion and replacement (the image bucket, "
                                 "the access logs, the tables, their key, the user pool)",
               "AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::KMS::Key", "AWS::Cognito::UserPool")
def retained(name, resource):
    for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
        if resource.get(policy) != "Retain":
            yield f"{name} has {policy} {resource.get(policy)}"


@template_rule("DIGIADS_S3_1", "A bucket that notifies a queue is created after the queue policy that lets S3 send",
               "AWS::S3::Bucket")
def notifies_after_policy(name, bucket):
    if bucket.get("Properties", {}).get("NotificationConfiguration"):
        policies = resources_of_type("AWS::SQS::QueuePolicy")
        if not any(p in policies for p in as_list(bucket.get("DependsOn"))):
            yield f"{name} notifies a queue but does not depend on its queue policy"


@template_rule("DIGIADS_DDB_1", "Tables are encrypted with the stack's key (the rest: DIGIADS_DDB_2)",
               "AWS::DynamoDB::Table")
def tables(name, table):
    if ref((table.get("Properties", {}).get("SSESpecification") or {}).get("KMSMasterKeyId")) != "DataKey":
        yield f"{name} is not encrypted with DataKey"


@template_rule("DIGIADS_SECRET_1", "Secrets are the generated operator password and the Deals API key from its "
                                   "NoEcho parameter without default: never a value in the template",
               "AWS::SecretsManager::Secret")
def secrets(name, secret):
    properties = secret.get("Properties", {})
    if name == "AdminPasswordSecret":
        if "GenerateSecretString" not in properties or "SecretString" in properties:
            yield f"{name} is not generated"
    elif name == "DealsApiKeySecret":
        parameter = template()["Parameters"].get(ref(properties.get("SecretString")), {})
        if ref(properties.get("SecretString")) != "DealsApiKey" or parameter.get("NoEcho") is not True \
                or "Default" in parameter:
            yield f"{name} is not the NoEcho parameter DealsApiKey without a default"
    else:
        yield f"{name} is a secret of no known use"
    if "KmsKeyId" not in properties:
        yield f"{name} is not encrypted with the stack's key"


@template_rule("DIGIADS_LOGS_1", "Log groups are kept LogRetentionInDays and encrypted", "AWS::Logs::LogGroup")
def log_groups(name, group):
    properties = group.get("Properties", {})
    if ref(properties.get("RetentionInDays")) != "LogRetentionInDays":
        yield f"{name} keeps its logs {properties.get('RetentionInDays')} days"
    if "KmsKeyId" not in properties:
        yield f"{name} is not encrypted"


@template_rule("DIGIADS_SKIP_1", "Every checkov skip names a check and says why it does not apply (20+ characters)",
               "*")
def skips_have_reasons(name, resource):
    metadata = resource.get("Metadata") or {}
    if "checkov" not in metadata:
        return
    skips = as_list((metadata.get("checkov") or {}).get("skip"))
    if not skips:
        yield f"{name} has an empty checkov skip list"
    for skip in skips:
        if not re.fullmatch(r"CKV2?_[A-Z0-9]+_[0-9]+", str(skip.get("id"))):
            yield f"{name} skips {skip.get('id')}, which is no checkov check id"
        if len(str(skip.get("comment") or "")) <= 20:
            yield f"{name} skips {skip.get('id')} without a reason"
