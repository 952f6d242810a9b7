#!/bin/sh
# creds-refresh.t - temporary credentials are refreshed the way botocore's
# RefreshableCredentials does it (advisory window 15 min: try, keep the old
# keys on failure; mandatory 10 min: must succeed), over ten hours of a
# shifted clock.  The fake STS gives issue N the key ...NN expiring at
# start + N hours; botocore, with its clock shifted the same way, is the
# referee.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/creds/lib.sh"

start_fake
printf 'jwt-for-refresh' > "$T/tok"
: > "$T/config"
: > "$T/credentials"
FAKE_BASE="FAKE_WEB_TOKEN=jwt-for-refresh FAKE_STEP=1"
fake_settings
WI="AWS_ROLE_ARN=arn:aws:iam::123456789012:role/R AWS_WEB_IDENTITY_TOKEN_FILE=$T/tok"
K=$(printf 'ASIAWI%s' "$(printf '%s' 'arn:aws:iam::123456789012:role/Rjwt-for-refresh' |
    sha256sum | cut -c1-8)" | tr a-z A-Z)

AT=
for k in 0 1 2 3 4 5 6 7 8 9 10 11 12; do AT="$AT --at $((k * 3000))"; done
want="assume-role-with-web-identity ${K}N1 token=yes"
for n in 2 2 3 4 5 6 7 7 8 9 10 11; do
	want="$want
assume-role-with-web-identity ${K}N$n token=yes"
done
want="$want
region=us-east-1"
# shellcheck disable=SC2086
got=$(ours $WI AWS_ROLE_SESSION_NAME=ours -- $AT)
is "ten hours of refreshes (ours)" "$got" "$want"
# shellcheck disable=SC2086
got=$(theirs $WI AWS_ROLE_SESSION_NAME=theirs -- $AT)
is "ten hours of refreshes (botocore)" "$got" "$want"
is "the token file was read for each of our refreshes" \
    "$(grep -c 'session=ours ok=True' "$T/fake.log")" 11

# Advisory refresh fails: keep the keys; mandatory refresh fails: error.
fake_settings FAKE_MAX_ISSUES=1
want="assume-role-with-web-identity ${K}N1 token=yes
assume-role-with-web-identity ${K}N1 token=yes
error"
# shellcheck disable=SC2086
got=$(ours $WI AWS_ROLE_SESSION_NAME=ours2 -- --at 0 --at 2800 --at 3100)
is "failed advisory refresh keeps the keys, mandatory fails (ours)" \
    "$got" "$want"
# shellcheck disable=SC2086
got=$(theirs $WI AWS_ROLE_SESSION_NAME=theirs2 -- --at 0 --at 2800 --at 3100)
is "failed advisory refresh keeps the keys, mandatory fails (botocore)" \
    "$got" "$want"

# Environment keys with AWS_CREDENTIAL_EXPIRATION are re-read on refresh
# and taken even inside the windows; once past the expiry, an error.
EXP=$(date -u -d "@$(($(date +%s) + 1000))" +%Y-%m-%dT%H:%M:%SZ)
ENVK="AWS_ACCESS_KEY_ID=AKIDENVEXP AWS_SECRET_ACCESS_KEY=s AWS_SESSION_TOKEN=t AWS_CREDENTIAL_EXPIRATION=$EXP"
want="env AKIDENVEXP token=yes
env AKIDENVEXP token=yes
env AKIDENVEXP token=yes
error"
# shellcheck disable=SC2086
is "env expiration: used up to the expiry (ours)" \
    "$(ours $ENVK -- --at 0 --at 200 --at 500 --at 1100)" "$want"
# shellcheck disable=SC2086
is "env expiration: used up to the expiry (botocore)" \
    "$(theirs $ENVK -- --at 0 --at 200 --at 500 --at 1100)" "$want"

# Long-term keys are never refreshed.
printf '[default]\naws_access_key_id = AKIDLONG\naws_secret_access_key = s\n' \
    > "$T/credentials"
got=$(ours -- --at 0 --at 360000)
is "static keys stay" "$got" "shared-credentials-file AKIDLONG token=no
shared-credentials-file AKIDLONG token=no
region=us-east-1"
done_testing
