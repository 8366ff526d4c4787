"""IAM: the two roles grant exactly what the app (AppRole) and ECS starting its task (ExecutionRole) call.

The app's grants follow its calls in src/main: S3 GetObject (ranged probe), PutObject (uploads and
presigned PUT URLs) and DeleteObject under the key prefix; s3:ListBucket only so that a missing
object answers NoSuchKey rather than 403, for listings under the prefix only; the SQS consumers and
producers, the routes' dead-lettering, the operator's redrive and its readiness checks
(GetQueueAttributes, DescribeTable: digiads.ops.AwsHealth); DynamoDB items without DeleteItem on the
metadata table (a deleted image leaves an expiring tombstone); the label index; the gallery index;
the live-updates topic and each instance's own queue; the table's key only through DynamoDB;
Rekognition's two calls, which name no resource. ChangeMessageVisibility on the work queues while the
consumers extend the visibility of what they hold (extendMessageVisibility=true in application.properties).
"""
from digiads_rules import app_properties, as_list, ref, template_rule

EXTENDS_VISIBILITY = any("extendMessageVisibility=true" in value for value in app_properties().values())

DLQ_ADMIN = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
             "sqs:GetQueueAttributes"]
WORK_QUEUE = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:SendMessage",
              *(["sqs:ChangeMessageVisibility"] if EXTENDS_VISIBILITY else [])]
TABLE_KEY = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]

# role -> resource -> the actions granted on it
GRANTS = {
    "AppRole": {
        "${ImagesBucket.Arn}/${KeyPrefix}*": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        "ImagesBucket.Arn": ["s3:ListBucket"],
        "EventsQueue.Arn": WORK_QUEUE,
        "MetadataQueue.Arn": WORK_QUEUE,
        "EventsDlq.Arn": DLQ_ADMIN,
        "MetadataDlq.Arn": DLQ_ADMIN,
        "MetadataTable.Arn": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DescribeTable"],
        "LabelsTable.Arn": ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"],
        "${MetadataTable.Arn}/index/recent-images": ["dynamodb:Query"],
        "UpdatesTopic": ["sns:Publish", "sns:Subscribe"],
        "${UpdatesTopic}:*": ["sns:Unsubscribe"],
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:digiads-updates-*": [
            "sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes",
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"],
        "DataKey.Arn": TABLE_KEY,
        "*": ["rekognition:DetectLabels", "rekognition:DetectModerationLabels"],
    },
    "ExecutionRole": {
        "*": ["ecr:GetAuthorizationToken"],
        "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*": [
            "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        "AppLogGroup.Arn": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "AdminPasswordSecret": ["secretsmanager:GetSecretValue"],
        "DealsApiKeySecret": ["secretsmanager:GetSecretValue"],
        "DataKey.Arn": ["kms:Decrypt"],
    },
}
# role -> the statements (by their actions) that carry a condition -> the service the key is used through
KEY_VIA_SERVICE = {"AppRole": ("dynamodb", ",".join(TABLE_KEY)), "ExecutionRole": ("secretsmanager", "kms:Decrypt")}


def statements(role: dict) -> list[dict]:
    return [s for policy in as_list(role.get("Properties", {}).get("Policies"))
            for s in as_list(policy.get("PolicyDocument", {}).get("Statement"))]


@template_rule("DIGIADS_IAM_1", "Only the roles AppRole and ExecutionRole, granting through their inline policies only "
                                "(no IAM policy resources, managed policies or permissions boundaries)",
               "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
def only_inline_policies(name, resource):
    if resource["Type"] != "AWS::IAM::Role":
        yield f"{name} is an {resource['Type']}"
        return
    if name not in GRANTS:
        yield f"{name} is a role of no known use"
    for key in ("ManagedPolicyArns", "PermissionsBoundary"):
        if key in resource.get("Properties", {}):
            yield f"{name} has {key}"


@template_rule("DIGIADS_IAM_2", "Every role statement allows named actions (no wildcard, NotAction or NotResource)",
               "AWS::IAM::Role")
def no_wildcards(name, role):
    for statement in statements(role):
        sid = statement.get("Sid", "a statement")
        if statement.get("Effect") != "Allow":
            yield f"{name}.{sid} is not Allow"
        for key in ("NotAction", "NotResource"):
            if key in statement:
                yield f"{name}.{sid} has {key}"
        for action in as_list(statement.get("Action")):
            if "*" in str(action):
                yield f"{name}.{sid} grants the wildcard action {action}"


@template_rule("DIGIADS_IAM_3", "The roles grant exactly the calls the app and ECS make, each on exactly its "
                                "resources (Resource * only where the API names none)", "AWS::IAM::Role")
def exact_grants(name, role):
    expected = {(r, a) for r, actions in GRANTS.get(name, {}).items() for a in actions}
    granted = {(ref(r), str(a)) for s in statements(role) for r in as_list(s.get("Resource"))
               for a in as_list(s.get("Action"))}
    for resource, action in sorted(granted - expected):
        yield f"{name} grants {action} on {resource}"
    for resource, action in sorted(expected - granted):
        yield f"{name} does not grant {action} on {resource} (the app calls it; or change the policy's GRANTS)"


@template_rule("DIGIADS_IAM_4", "Conditions: s3:ListBucket only under the key prefix; the data key only through "
                                "its service (kms:ViaService); no other statement is conditional", "AWS::IAM::Role")
def conditions(name, role):
    service, key_actions = KEY_VIA_SERVICE.get(name, (None, None))
    allowed = {key_actions, "s3:ListBucket"} if name == "AppRole" else {key_actions}
    found = {",".join(map(str, as_list(s.get("Action")))): s.get("Condition") for s in statements(role)
             if "Condition" in s}
    for actions in sorted(set(found) - allowed):
        yield f"{name}: {actions} is conditional"
    for actions in sorted(allowed - set(found)):
        yield f"{name}: {actions} has no condition"
    if key_actions in found:
        via = ref((found[key_actions] or {}).get("StringEquals", {}).get("kms:ViaService"))
        if via != f"{service}.${{AWS::Region}}.amazonaws.com":
            yield f"{name}: the key is used through {via}, not {service}"
    if "s3:ListBucket" in found and name == "AppRole":
        condition = found["s3:ListBucket"] or {}
        operators = [op for op in condition if op in ("StringLike", "StringLikeIfExists", "StringEquals",
                                                      "StringEqualsIfExists")]
        if len(condition) != 1 or not operators or list(condition[operators[0]]) != ["s3:prefix"] \
                or ref(condition[operators[0]]["s3:prefix"]) != "${KeyPrefix}*":
            yield f"{name}: s3:ListBucket is not held to s3:prefix ${{KeyPrefix}}*"


@template_rule("DIGIADS_IAM_5", "Roles are assumed by ECS tasks of this account only", "AWS::IAM::Role")
def trust(name, role):
    trusted = as_list(role.get("Properties", {}).get("AssumeRolePolicyDocument", {}).get("Statement"))
    if len(trusted) != 1:
        yield f"{name} has {len(trusted)} trust statements"
        return
    statement = trusted[0]
    if statement.get("Principal") != {"Service": "ecs-tasks.amazonaws.com"}:
        yield f"{name} trusts {statement.get('Principal')}"
    if as_list(statement.get("Action")) != ["sts:AssumeRole"]:
        yield f"{name} trusts for {statement.get('Action')}"
    account = (statement.get("Condition") or {}).get("StringEquals", {}).get("aws:SourceAccount")
    if ref(account) != "AWS::AccountId":
        yield f"{name}: aws:SourceAccount is not this account"
