"""Running the app: the task on Fargate, its container, the load balancer, the security groups and the
scaling. The API port and the management port are server.port and management.server.port of
application.properties: the load balancer forwards to the API port only; the management port serves its
health checks (readiness) and, optionally, the operators' security group.
"""
from digiads_rules import (API_PORT, LIVENESS, MANAGEMENT_PORT, app_properties, as_list, property_for, ref,
                           resources_of_type, template, template_rule)

# Never set on AWS (credentials come from the task role, secrets from Secrets Manager).
NOT_ON_AWS = {"DIGIADS_AWS_ENDPOINT_OVERRIDE", "DIGIADS_AWS_ACCESS_KEY_ID", "DIGIADS_AWS_SECRET_ACCESS_KEY",
              "SPRING_SECURITY_USER_PASSWORD", "DIGIADS_DEALS_API_KEY"}
TASK_ENVIRONMENT = {"DIGIADS_AWS_REGION", "DIGIADS_AWS_ACCOUNT_ID", "DIGIADS_S3_BUCKET", "DIGIADS_SQS_EVENTS_QUEUE",
                    "DIGIADS_SQS_EVENTS_DLQ", "DIGIADS_SQS_METADATA_QUEUE", "DIGIADS_SQS_METADATA_DLQ",
                    "DIGIADS_DYNAMODB_TABLE", "DIGIADS_DYNAMODB_LABELS_TABLE", "DIGIADS_DEALS_BASE_URL",
                    "DIGIADS_SECURITY_ISSUER_URI", "DIGIADS_ADMIN_USER"}
TASK_SECRETS = {"SPRING_SECURITY_USER_PASSWORD": "AdminPasswordSecret", "DIGIADS_DEALS_API_KEY": "DealsApiKeySecret"}


def check(name, pairs):
    for what, found, wanted in pairs:
        if found != wanted:
            yield f"{name}: {what} is {found}, not {wanted}"


@template_rule("DIGIADS_ECS_1", "The one task definition runs the image with the app's task role and the execution "
                                "role, in one container (Fargate, awsvpc, read-only: DIGIADS_ECS_5)",
               "AWS::ECS::TaskDefinition")
def task_definition(name, task):
    properties = task.get("Properties", {})
    containers = as_list(properties.get("ContainerDefinitions"))
    container = containers[0] if containers else {}
    yield from check(name, [("its logical id", name, "TaskDefinition"),
                            ("TaskRoleArn", ref(properties.get("TaskRoleArn")), "AppRole.Arn"),
                            ("ExecutionRoleArn", ref(properties.get("ExecutionRoleArn")), "ExecutionRole.Arn"),
                            ("the number of containers", len(containers), 1),
                            ("Image", ref(container.get("Image")), "ImageUri")])


@template_rule("DIGIADS_ECS_2", "The container maps the API and the management port, checks liveness on the "
                                "management port and logs to its log group", "AWS::ECS::TaskDefinition")
def container_ports_health_logs(name, task):
    for container in as_list(task.get("Properties", {}).get("ContainerDefinitions")):
        ports = sorted(int(m.get("ContainerPort")) for m in as_list(container.get("PortMappings")))
        command = " ".join(map(str, as_list((container.get("HealthCheck") or {}).get("Command"))))
        logging = container.get("LogConfiguration") or {}
        yield from check(name, [("the container ports", ports, sorted([API_PORT, MANAGEMENT_PORT])),
                                ("the health check checks liveness", command.startswith("CMD") and LIVENESS in command,
                                 True),
                                ("LogDriver", logging.get("LogDriver"), "awslogs"),
                                ("awslogs-group", ref((logging.get("Options") or {}).get("awslogs-group")),
                                 "AppLogGroup")])


@template_rule("DIGIADS_ECS_3", "The container gets the app's settings as environment and its secrets from Secrets "
                                "Manager: no password, secret, API key, static key or endpoint override in plain text; "
                                "the app reads every DIGIADS_* variable of the task",
               "AWS::ECS::TaskDefinition")
def container_environment(name, task):
    for container in as_list(task.get("Properties", {}).get("ContainerDefinitions")):
        env = {str(v.get("Name")) for v in as_list(container.get("Environment"))}
        for variable in sorted(TASK_ENVIRONMENT - env):
            yield f"{name} does not set {variable}"
        for variable in sorted(env & NOT_ON_AWS | {v for v in env if "PASSWORD" in v or "SECRET" in v
                                                   or v.endswith("API_KEY")}):
            yield f"{name} sets {variable} in plain text"
        secrets = {str(s.get("Name")): ref(s.get("ValueFrom")) for s in as_list(container.get("Secrets"))}
        if secrets != TASK_SECRETS:
            yield f"{name}: the secrets are {secrets}, not {TASK_SECRETS}"
        for secret in secrets.values():
            if resources_of_type("AWS::SecretsManager::Secret").get(secret) is None:
                yield f"{name} takes a secret from {secret}, which is no Secrets Manager secret of the template"
        for variable in sorted(v for v in env | set(secrets) if v.startswith("DIGIADS_") and not read_by_the_app(v)):
            yield f"{name} sets {variable}, which the app does not read"


def read_by_the_app(variable: str) -> bool:
    """Binds to a key of application.properties, or is one of its placeholders (${DIGIADS_ADMIN_USER:admin})."""
    return property_for(variable) is not None or any(
        f"${{{variable}:" in value or f"${{{variable}}}" in value for value in app_properties().values())


@template_rule("DIGIADS_ECS_4", "The service runs the task in the private subnets and the task security group, "
                                "registered with the API target group on the API port only (Fargate: DIGIADS_ECS_5)",
               "AWS::ECS::Service")
def service(name, svc):
    properties = svc.get("Properties", {})
    network = (properties.get("NetworkConfiguration") or {}).get("AwsvpcConfiguration") or {}
    balancers = as_list(properties.get("LoadBalancers"))
    registered = [(int(b.get("ContainerPort")), ref(b.get("TargetGroupArn"))) for b in balancers]
    yield from check(name, [("TaskDefinition", ref(properties.get("TaskDefinition")), "TaskDefinition"),
                            ("Cluster", ref(properties.get("Cluster")), "Cluster"),
                            ("Subnets", ref(network.get("Subnets")), "PrivateSubnetIds"),
                            ("SecurityGroups", [ref(g) for g in as_list(network.get("SecurityGroups"))],
                             ["TaskSecurityGroup"]),
                            ("LoadBalancers", registered, [(API_PORT, "ApiTargetGroup")])])


@template_rule("DIGIADS_ELB_1", "Listeners of the load balancer: forward only over HTTPS on 443 with a TLS 1.3 policy "
                                "and the certificate, to the API target group; any other listener redirects to HTTPS; "
                                "no listener rules",
               "AWS::ElasticLoadBalancingV2::Listener")
def listeners(name, listener):
    properties = listener.get("Properties", {})
    yield from check(name, [("LoadBalancerArn", ref(properties.get("LoadBalancerArn")), "LoadBalancer")])
    for rule in resources_of_type("AWS::ElasticLoadBalancingV2::ListenerRule"):
        yield f"{rule} is a listener rule (nothing but the HTTPS listener's default action routes traffic)"
    for action in as_list(properties.get("DefaultActions")):
        if action.get("Type") == "forward":
            yield from check(name, [
                ("Protocol", properties.get("Protocol"), "HTTPS"), ("Port", properties.get("Port"), 443),
                ("a TLS 1.3 SslPolicy", str(properties.get("SslPolicy")).startswith("ELBSecurityPolicy-TLS13-1-2"),
                 True),
                ("Certificates", [ref(c.get("CertificateArn")) for c in as_list(properties.get("Certificates"))],
                 ["CertificateArn"]),
                ("TargetGroupArn", ref(action.get("TargetGroupArn")), "ApiTargetGroup")])
        else:
            yield from check(name, [("the action", action.get("Type"), "redirect"),
                                    ("the redirect's Protocol", (action.get("RedirectConfig") or {}).get("Protocol"),
                                     "HTTPS")])


@template_rule("DIGIADS_ELB_3", "The one target group takes the API port and checks readiness on the management port",
               "AWS::ElasticLoadBalancingV2::TargetGroup")
def target_group(name, group):
    properties = group.get("Properties", {})
    yield from check(name, [("its logical id", name, "ApiTargetGroup"),
                            ("Port", int(properties.get("Port", 0)), API_PORT),
                            ("HealthCheckPort", int(properties.get("HealthCheckPort", 0)), MANAGEMENT_PORT),
                            ("HealthCheckPath", properties.get("HealthCheckPath"), "/actuator/health/readiness"),
                            ("TargetType", properties.get("TargetType"), "ip")])


def ingress_rules(group: str) -> list[dict]:
    """A group's inline SecurityGroupIngress and the AWS::EC2::SecurityGroupIngress resources on it."""
    inline = as_list(resources_of_type("AWS::EC2::SecurityGroup").get(group, {}).get("Properties", {})
                     .get("SecurityGroupIngress"))
    separate = [dict(r["Properties"], Condition=r.get("Condition"))
                for r in resources_of_type("AWS::EC2::SecurityGroupIngress").values()
                if ref(r.get("Properties", {}).get("GroupId")) == group]
    return inline + separate


@template_rule("DIGIADS_SG_1", "The tasks take the API port from the load balancer and the management port from it "
                               "and (when given) the operators' group; no network address may reach them",
               "AWS::EC2::SecurityGroup")
def task_ingress(name, group):
    if name != "TaskSecurityGroup":
        return
    sources: dict[int, set[str]] = {}
    for rule in ingress_rules(name):
        if {"CidrIp", "CidrIpv6", "SourcePrefixListId"} & set(rule):
            yield f"{name} takes port {rule.get('FromPort')} from a network address"
        if rule.get("FromPort") != rule.get("ToPort"):
            yield f"{name} opens the port range {rule.get('FromPort')}-{rule.get('ToPort')}"
        source = ref(rule.get("SourceSecurityGroupId"))
        if source == "OperatorSecurityGroupId" and rule.get("Condition") != "HasOperatorSecurityGroup":
            yield f"{name} takes port {rule.get('FromPort')} from the operators' group without its condition"
        sources.setdefault(int(rule.get("FromPort", -1)), set()).add(source)
    expected = {API_PORT: {"LoadBalancerSecurityGroup"},
                MANAGEMENT_PORT: {"LoadBalancerSecurityGroup", "OperatorSecurityGroupId"}}
    if sources != expected:
        yield f"{name} takes {sources}, not {expected}"


@template_rule("DIGIADS_SG_2", "The load balancer takes 443 and 80 (redirected) only; every ingress rule says what "
                               "it is for", "AWS::EC2::SecurityGroup")
def balancer_ingress(name, group):
    rules = ingress_rules(name)
    for rule in rules:
        if not rule.get("Description"):
            yield f"{name}: a rule for port {rule.get('FromPort')} has no Description"
    if name == "LoadBalancerSecurityGroup":
        ports = sorted(f"{r.get('FromPort')}-{r.get('ToPort')}" for r in rules)
        if ports != ["443-443", "80-80"]:
            yield f"{name} takes {ports}"


@template_rule("DIGIADS_SCALE_1", "The service scales between MinTasks (at least 1) and MaxTasks on the events queue's "
                                  "visible messages per running task (Container Insights)",
               "AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ApplicationAutoScaling::ScalingPolicy",
               "AWS::ECS::Cluster")
def scaling(name, resource):
    properties = resource.get("Properties", {})
    if resource["Type"] == "AWS::ECS::Cluster":
        if {"Name": "containerInsights", "Value": "enabled"} not in as_list(properties.get("ClusterSettings")):
            yield f"{name} has no Container Insights, which publishes RunningTaskCount"
        return
    if resource["Type"] == "AWS::ApplicationAutoScaling::ScalableTarget":
        yield from check(name, [("ServiceNamespace", properties.get("ServiceNamespace"), "ecs"),
                                ("ScalableDimension", properties.get("ScalableDimension"), "ecs:service:DesiredCount"),
                                ("ResourceId", ref(properties.get("ResourceId")), "service/${Cluster}/${Service.Name}"),
                                ("MinCapacity", ref(properties.get("MinCapacity")), "MinTasks"),
                                ("MaxCapacity", ref(properties.get("MaxCapacity")), "MaxTasks"),
                                ("MinTasks' MinValue", template()["Parameters"]["MinTasks"].get("MinValue"), 1)])
        return
    tracking = properties.get("TargetTrackingScalingPolicyConfiguration") or {}
    metrics = as_list((tracking.get("CustomizedMetricSpecification") or {}).get("Metrics"))
    ids = {}
    for query in metrics:
        metric = (query.get("MetricStat") or {}).get("Metric") or {}
        dimensions = {d.get("Name"): ref(d.get("Value")) for d in as_list(metric.get("Dimensions"))}
        ids[(metric.get("Namespace"), metric.get("MetricName"), tuple(sorted(dimensions.items())))] = query.get("Id")
    visible = ids.get(("AWS/SQS", "ApproximateNumberOfMessagesVisible", (("QueueName", "EventsQueue.QueueName"),)))
    tasks = ids.get(("ECS/ContainerInsights", "RunningTaskCount",
                     (("ClusterName", "Cluster"), ("ServiceName", "Service.Name"))))
    returned = ["".join(str(q.get("Expression")).split()) for q in metrics if q.get("ReturnData") is True]
    yield from check(name, [("its logical id", name, "EventsBacklogScalingPolicy"),
                            ("PolicyType", properties.get("PolicyType"), "TargetTrackingScaling"),
                            ("ScalingTargetId", ref(properties.get("ScalingTargetId")), "ServiceScalableTarget"),
                            ("TargetValue", ref(tracking.get("TargetValue")), "EventsBacklogPerTask"),
                            ("the metric returned", returned, [f"{visible}/{tasks}"] if visible and tasks else
                             ["<events queue visible messages>/<running tasks>"])])
