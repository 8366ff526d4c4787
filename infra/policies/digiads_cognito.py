"""API tokens and what the stack tells its operator: the Cognito user pool issues client-credentials tokens
for the API's scopes, the task trusts the pool as its issuer, and the outputs give the app's environment.
"""
import re

from digiads_rules import as_list, property_for, ref, template, template_rule

API_SCOPES = ["digiads/images.read", "digiads/images.write"]
ISSUER = "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPool}"
OUTPUTS = ["BucketName", "EventsQueueUrl", "EventsDlqUrl", "MetadataQueueUrl", "MetadataDlqUrl", "TableName",
           "LabelsTableName", "AppRoleArn", "AppEnvironment", "IssuerUri", "TokenEndpoint", "ApiClientId"]
OUTPUT_ENVIRONMENT = ["DIGIADS_AWS_REGION", "DIGIADS_AWS_ACCOUNT_ID", "DIGIADS_S3_BUCKET", "DIGIADS_SQS_EVENTS_QUEUE",
                      "DIGIADS_SQS_METADATA_QUEUE", "DIGIADS_DYNAMODB_TABLE", "DIGIADS_DYNAMODB_LABELS_TABLE"]


@template_rule("DIGIADS_COGNITO_1", "The resource server digiads of the user pool has exactly the API's scopes",
               "AWS::Cognito::UserPoolResourceServer", "AWS::Cognito::UserPoolDomain")
def resource_server(name, resource):
    properties = resource.get("Properties", {})
    if ref(properties.get("UserPoolId")) != "UserPool":
        yield f"{name} is not of the user pool"
    if resource["Type"] == "AWS::Cognito::UserPoolResourceServer":
        scopes = sorted(f"{properties.get('Identifier')}/{s.get('ScopeName')}" for s in as_list(properties.get("Scopes")))
        if scopes != API_SCOPES:
            yield f"{name} has the scopes {scopes}, not {API_SCOPES}"


@template_rule("DIGIADS_COGNITO_2", "The API client gets client-credentials tokens with a secret for exactly the API's "
                                    "scopes, once the resource server exists", "AWS::Cognito::UserPoolClient")
def api_client(name, client):
    if name != "ApiClient":
        return
    properties = client.get("Properties", {})
    for what, found, wanted in [("UserPoolId", ref(properties.get("UserPoolId")), "UserPool"),
                                ("GenerateSecret", properties.get("GenerateSecret"), True),
                                ("AllowedOAuthFlowsUserPoolClient", properties.get("AllowedOAuthFlowsUserPoolClient"),
                                 True),
                                ("AllowedOAuthFlows", as_list(properties.get("AllowedOAuthFlows")),
                                 ["client_credentials"]),
                                ("AllowedOAuthScopes", sorted(as_list(properties.get("AllowedOAuthScopes"))),
                                 API_SCOPES),
                                ("DependsOn UserPoolResourceServer",
                                 "UserPoolResourceServer" in as_list(client.get("DependsOn")), True)]:
        if found != wanted:
            yield f"{name}: {what} is {found}, not {wanted}"


@template_rule("DIGIADS_OUTPUTS_1", "The outputs give the pool's issuer (which the task trusts), its token endpoint, "
                                    "the client id, the resources and the app's environment, which the task gets",
               "AWS::ECS::TaskDefinition")
def outputs(name, task):
    found = template().get("Outputs", {})
    for output in OUTPUTS:
        if output not in found:
            yield f"no output {output}"
    value = lambda output: ref(found.get(output, {}).get("Value"))
    for output, wanted in [("IssuerUri", ISSUER), ("ApiClientId", "ApiClient"),
                           ("TokenEndpoint",
                            "https://${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com/oauth2/token")]:
        if value(output) != wanted:
            yield f"the output {output} is {value(output)}, not {wanted}"
    listed = re.findall(r"(DIGIADS_[A-Z0-9_]+)=", value("AppEnvironment"))
    for variable in OUTPUT_ENVIRONMENT:
        if variable not in listed:
            yield f"AppEnvironment does not list {variable}"
    for variable in listed:
        if property_for(variable) is None:
            yield f"AppEnvironment lists {variable}, which binds to no key of application.properties"
    for container in as_list(task.get("Properties", {}).get("ContainerDefinitions")):
        env = {str(v.get("Name")): ref(v.get("Value")) for v in as_list(container.get("Environment"))}
        for variable in listed:
            if variable not in env:
                yield f"AppEnvironment lists {variable}, which {name} does not set"
        if env.get("DIGIADS_SECURITY_ISSUER_URI") != ISSUER:
            yield f"{name} trusts the issuer {env.get('DIGIADS_SECURITY_ISSUER_URI')}, not the user pool"
