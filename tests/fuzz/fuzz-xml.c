/* fuzz-xml.c - the XML reader on arbitrary bytes: parse, walk, look up. */
#include <stddef.h>
#include <stdint.h>

#include "xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
walk(const struct xml_node *n, int depth)
{
	size_t total = 0;

	for (; n != NULL; n = n->next) {
		total += (size_t)(n->name[0] + n->text[0] + depth);
		total += walk(n->child, depth + 1);
	}
	return total;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xml_node *root;
	char err[256];
	volatile size_t sink;

	root = xml_parse((const char *)data, size, err, sizeof err);
	if (root != NULL) {
		sink = walk(root, 0);
		(void)sink;
		(void)xml_text(root, "Error/Code");
		(void)xml_text(root, "AssumeRoleResult/Credentials/Expiration");
		(void)xml_find(root, "a/b/");
	}
	xml_free(root);
	return 0;
}
