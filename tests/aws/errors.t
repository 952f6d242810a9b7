#!/bin/sh
# tests/aws/errors.t - error answers read by aws_parse_error_body and by
# botocore's own parsers (the referee) give the same code and message, for
# the JSON 1.1, query and S3 (rest-xml) shapes.  Two differences are by
# design and not compared here: an answer without a usable body gets a
# named code from its status (NotFound) where botocore uses the number
# (404), and an x-amzn-ErrorType header wins over the body's __type, as
# the Smithy awsJson1_1 rules say (botocore 1.43 reads the body first);
# likewise a body "code" member is read as Smithy allows (botocore does not:
# test-awserror.c has that case).
. "$TOP/tests/cli/lib.sh"
A=$TOP/build/tests/aws-awscall

# case PROTOCOL STATUS BODY
n=0
add() {
	n=$((n + 1))
	printf '%s' "$3" >"$T/body.$n"
	echo "$1 $2 $T/body.$n" >>"$T/cases"
}
add json 400 '{"__type":"ValidationException","message":"bad"}'
add json 400 '{"__type":"com.amazon.coral.validate#ValidationException","Message":"m"}'
add json 400 '{"__type":"com.amazon.coral.service#ExpiredTokenException:http://x/","message":"e"}'
add json 400 '{"__type":"X","message":"a","Message":"b"}'
add json 429 '{"__type":"ThrottlingException","message":"Rate exceeded"}'
add json 400 '  {"__type":"LimitExceededException","message":"é ü"}'
add query 404 '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>Role nope not found</Message></Error><RequestId>4a5b</RequestId></ErrorResponse>'
add query 400 '<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>'
add query 403 '<?xml version="1.0" encoding="utf-8"?>
<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>sig</Message><Type>Sender</Type></Error></Errors></ErrorResponse>'
add query 400 '<ErrorResponse><Error><Code>IDPCommunicationError</Code><Message>a &amp; b &lt;c&gt;</Message></Error></ErrorResponse>'
add rest-xml 404 '<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>nokey</Key><RequestId>S3RID</RequestId><HostId>h</HostId></Error>'
add rest-xml 503 '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>'
add rest-xml 400 '<Error><Code>AuthorizationHeaderMalformed</Code><Message>region</Message><Region>eu-west-1</Region></Error>'

python3 - "$T/cases" >"$T/want" <<'PY'
import sys
from botocore import parsers
for line in open(sys.argv[1]):
    proto, status, path = line.split()
    body = open(path, "rb").read()
    r = parsers.create_parser(proto).parse(
        {"status_code": int(status), "headers": {}, "body": body}, None)
    print("%s\t%s" % (r["Error"]["Code"], r["Error"]["Message"]))
PY
while read -r proto status path; do
	"$A" parse-error "$status" "$path"
done <"$T/cases" >"$T/got"
i=0
while [ $i -lt $n ]; do
	i=$((i + 1))
	is "case $i ($(sed -n "${i}p" "$T/cases" | cut -d' ' -f1-2)): code and message as botocore" \
	    "$(sed -n "${i}p" "$T/got")" "$(sed -n "${i}p" "$T/want")"
done
# Which codes are retried, and which as throttling: botocore's standard
# mode decides the same for every code it knows and a few it does not.
python3 >"$T/codes" <<'PY'
import botocore.retries.standard as s
codes = set(s.ThrottledRetryableChecker._THROTTLED_ERROR_CODES)
codes |= set(s.TransientRetryableChecker._TRANSIENT_ERROR_CODES)
print(" ".join(sorted(codes | {"ValidationException", "AccessDenied",
                               "ResourceInUse", "NoSuchEntity"})))
PY
for status in 400 503; do
	# shellcheck disable=SC2046
	"$A" classify $status $(cat "$T/codes") >"$T/ours"
	python3 - $status $(cat "$T/codes") >"$T/theirs" <<'PY'
import sys
import botocore.retries.standard as s
status, codes = int(sys.argv[1]), sys.argv[2:]
for code in codes:
    throttled = code in s.ThrottledRetryableChecker._THROTTLED_ERROR_CODES
    transient = (code in s.TransientRetryableChecker._TRANSIENT_ERROR_CODES
                 or status in s.TransientRetryableChecker._TRANSIENT_STATUS_CODES)
    print(code, "throttle" if throttled else
          "transient" if transient else "never")
PY
	check_same "status $status: retry classes equal botocore's standard mode" \
	    "$T/ours" "$T/theirs"
done
done_testing
