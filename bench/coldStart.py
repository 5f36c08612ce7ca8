"""The cold-start job in Python with boto3 (the runtime of AWS's Rule Development Kit), for comparison.

Judges the user of one change notification the way the rule does (GetUser, ListAccessKeys) and
reports with PutEvaluations, against the endpoint in AWS_ENDPOINT_URL. Run as a fresh process.
"""
import json
import sys

import boto3

event = json.load(open(sys.argv[1]))
invoking = json.loads(event["invokingEvent"])
item = invoking["configurationItem"]
iam = boto3.client("iam")
config = boto3.client("config")
user = iam.get_user(UserName=item["resourceName"])["User"]
keys = iam.list_access_keys(UserName=user["UserName"])["AccessKeyMetadata"]
active = [key for key in keys if key["Status"] == "Active"]
config.put_evaluations(
    Evaluations=[
        {
            "ComplianceResourceType": item["resourceType"],
            "ComplianceResourceId": item["resourceId"],
            "ComplianceType": "NON_COMPLIANT" if len(active) > 1 else "COMPLIANT",
            "Annotation": f"{len(active)} active access keys",
            "OrderingTimestamp": item["configurationItemCaptureTime"],
        }
    ],
    ResultToken=event["resultToken"],
)
