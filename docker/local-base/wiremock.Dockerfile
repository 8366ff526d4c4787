# WireMock standalone (Maven Central) on the local base, in place of the public wiremock/wiremock image
# where no image registry is reachable: docker/compose.local.yaml builds it for the "rekognition" and
# "deals" services. Same contract as the public image: port 8080, mappings and __files under
# /home/wiremock, the service's command as WireMock's arguments, wget for the health check.
# checkov:skip=CKV_DOCKER_7: the base is the local base image, a build argument with a version tag
# checkov:skip=CKV_DOCKER_2: docker/compose.yaml gives this stand-in its health check
ARG BASE=localhost/digiads-base-jre:25
FROM ${BASE}
ARG WIREMOCK_VERSION=3.13.2
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wget >/dev/null \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /var/wiremock /home/wiremock \
 && curl -fsSLo /var/wiremock/wiremock-standalone.jar \
    "https://repo1.maven.org/maven2/org/wiremock/wiremock-standalone/${WIREMOCK_VERSION}/wiremock-standalone-${WIREMOCK_VERSION}.jar"
RUN groupadd --system --gid 10001 wiremock && useradd --system --uid 10001 --gid wiremock --no-create-home wiremock
WORKDIR /home/wiremock
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/var/wiremock/wiremock-standalone.jar", "--port", "8080"]
