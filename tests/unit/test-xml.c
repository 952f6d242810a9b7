/* test-xml.c - the XML reader: AWS documents, entities, limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"
#include "xml.h"

static const char sts_ok[] =
    "<AssumeRoleWithWebIdentityResponse "
    "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <AssumeRoleWithWebIdentityResult>\n"
    "    <Credentials>\n"
    "      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n"
    "      <SecretAccessKey>se/cr+et</SecretAccessKey>\n"
    "      <SessionToken>tok</SessionToken>\n"
    "      <Expiration>2026-11-26T23:45:37Z</Expiration>\n"
    "    </Credentials>\n"
    "  </AssumeRoleWithWebIdentityResult>\n"
    "</AssumeRoleWithWebIdentityResponse>\n";

static const char iam_err[] =
    "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
    "<Error><Type>Sender</Type><Code>NoSuchEntity</Code>"
    "<Message>Role nope not found</Message></Error>"
    "<RequestId>r-1</RequestId></ErrorResponse>";

static const char s3_err[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Error><Code>NoSuchKey</Code><Message>The specified key does not "
    "exist.</Message><Key>nokey</Key><RequestId>R</RequestId></Error>";

static const char prefixed[] =
    "<s3:ListPartsResult xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<s3:Part><s3:PartNumber>1</s3:PartNumber></s3:Part>"
    "<s3:Part><s3:PartNumber>2</s3:PartNumber></s3:Part>"
    "</s3:ListPartsResult>";

static const char laughs[] =
    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]><a>&lol2;</a>";

static const char external[] =
    "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM "
    "\"file:///etc/passwd\">]><a>&x;</a>";

static const struct {
	const char *name;
	const char *doc;
	const char *path;	/* NULL: the parse must fail */
	const char *want;	/* NULL: PATH must be absent */
} rows[] = {
	{ "STS credentials", sts_ok,
	    "AssumeRoleWithWebIdentityResult/Credentials/SecretAccessKey",
	    "se/cr+et" },
	{ "STS expiration", sts_ok,
	    "AssumeRoleWithWebIdentityResult/Credentials/Expiration",
	    "2026-11-26T23:45:37Z" },
	{ "STS missing path", sts_ok, "AssumeRoleResult/Credentials", NULL },
	{ "IAM error code", iam_err, "Error/Code", "NoSuchEntity" },
	{ "IAM request id", iam_err, "RequestId", "r-1" },
	{ "S3 error message", s3_err, "Message",
	    "The specified key does not exist." },
	{ "root by empty path", s3_err, "", "" },
	{ "prefix dropped, first match", prefixed, "Part/PartNumber", "1" },
	{ "predefined entities", "<a><b>&lt;&amp;&gt;&quot;&apos;</b></a>",
	    "b", "<&>\"'" },
	{ "character references", "<a><b>&#233;&#x41;</b></a>", "b",
	    "\xc3\xa9" "A" },
	{ "CDATA", "<a><b><![CDATA[<x>&amp;]]></b></a>", "b", "<x>&amp;" },
	{ "text around children", "<a>x<b>y</b>z</a>", "", "xz" },
	{ "whitespace kept", "<a><b> v </b></a>", "b", " v " },
	{ "empty element", "<a><b/></a>", "b", "" },
	{ "attributes ignored", "<a><b k=\"v\">t</b></a>", "b", "t" },
	{ "trailing slash in path", "<a><b>t</b></a>", "b/", "t" },
	{ "prefix of a name is not a match", "<a><bc>t</bc></a>", "b", NULL },
	{ "undeclared entity", "<a>&nbsp;</a>", NULL, NULL },
	{ "billion laughs", laughs, NULL, NULL },
	{ "external entity", external, NULL, NULL },
	{ "bare doctype", "<!DOCTYPE a><a/>", NULL, NULL },
	{ "unclosed", "<a><b></a>", NULL, NULL },
	{ "two roots", "<a/><b/>", NULL, NULL },
	{ "empty", "", NULL, NULL },
	{ "only text", "hello", NULL, NULL },
	{ "bad utf-8", "<a>\xff</a>", NULL, NULL },
};

static void
test_rows(void)
{
	struct xml_node *root;
	char err[256], name[128];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		err[0] = '\0';
		root = xml_parse(rows[i].doc, strlen(rows[i].doc), err,
		    sizeof err);
		if (rows[i].path == NULL) {
			snprintf(name, sizeof name, "%s: refused", rows[i].name);
			CHECK(name, root == NULL && err[0] != '\0');
		} else if (rows[i].want == NULL) {
			snprintf(name, sizeof name, "%s: absent", rows[i].name);
			CHECK(name, root != NULL &&
			    xml_text(root, rows[i].path) == NULL);
		} else {
			CHECK_STREQ(rows[i].name, root ?
			    xml_text(root, rows[i].path) : err, rows[i].want);
		}
		xml_free(root);
	}
}

/* N nested <a> elements. */
static char *
nested(int n)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	for (int i = 0; i < n; i++)
		buf_puts(&b, "<a>");
	for (int i = 0; i < n; i++)
		buf_puts(&b, "</a>");
	return b.data;
}

static void
test_limits(void)
{
	struct xml_node *root;
	struct buf b;
	char err[256];
	char *doc;

	doc = nested(XML_MAX_DEPTH);
	root = xml_parse(doc, strlen(doc), err, sizeof err);
	CHECK("depth at the limit parses", root != NULL);
	xml_free(root);
	free(doc);

	doc = nested(XML_MAX_DEPTH + 1);
	root = xml_parse(doc, strlen(doc), err, sizeof err);
	CHECK("depth over the limit refused", root == NULL &&
	    strstr(err, "deeper") != NULL);
	free(doc);

	buf_init(&b, 4 << 20);
	buf_puts(&b, "<r>");
	for (int i = 0; i < XML_MAX_NODES; i++)
		buf_puts(&b, "<b/>");
	buf_puts(&b, "</r>");
	root = xml_parse(b.data, b.len, err, sizeof err);
	CHECK("elements over the limit refused", root == NULL &&
	    strstr(err, "more elements") != NULL);
	buf_free(&b);

	root = xml_parse("<a/>", (size_t)XML_MAX_BYTES + 1, err, sizeof err);
	CHECK("input over the byte limit refused", root == NULL &&
	    strstr(err, "larger") != NULL);
}

int
main(void)
{
	test_rows();
	test_limits();
	return check_done();
}
