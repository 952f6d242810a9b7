/*
 * questions.h - asking one question the way accelerate's config_utils does
 * (_ask_field, _ask_options, _convert_yes_no_to_bool), answered in one of
 * three ways:
 *   - a preset: the text of a command-line flag, converted by the same
 *     rules as a typed answer (a bad one is a usage error, never re-asked);
 *   - the default, when the asker assumes defaults (--yes);
 *   - a line read from the input: empty means the default, a bad answer
 *     prints accelerate's message and asks again, end of input is an error
 *     naming the question.
 * Menus are printed as a numbered list and answered by the 0-based index
 * (BulletMenu's numbering) or by the text of a choice; on a terminal they
 * are BulletMenus driven by the arrow and number keys.
 */
#ifndef ACCEL_QUESTIONS_H
#define ACCEL_QUESTIONS_H

#include <stdio.h>

#define ANSWER_MAX 4096		/* bytes in one answer line */

struct asker {
	FILE *in;		/* answers, one a line */
	FILE *out;		/* prompts */
	int echo;		/* input is not a terminal: echo answers */
	int tty;		/* both are terminals: arrow-key menus */
	int assume_defaults;	/* --yes: unanswered questions take defaults */
	int status;		/* after a failure: EXIT_NO or EXIT_USAGE */
};

/* A flag's answer to one question. */
struct preset {
	const char *flag;	/* "--region", for messages */
	const char *value;	/* NULL: not given */
	int used;		/* set when the questionnaire reached it */
};

struct menu {
	const char *const *choices;	/* shown, as accelerate shows them */
	const char *const *values;	/* also accepted (flags): NO, fp16 */
	size_t n;
};

/*
 * Each returns 0 with the answer, or -1 with a message printed and
 * a->status set.  P may be NULL (no flag answers the question).
 */
int ask_menu(struct asker *a, struct preset *p, const char *prompt,
    const struct menu *m, size_t def, size_t *out);
/* DEF NULL: no default; an empty answer is then asked again. *OUT is
 * allocated. */
int ask_text(struct asker *a, struct preset *p, const char *prompt,
    const char *def, char **out);
int ask_yesno(struct asker *a, struct preset *p, const char *prompt, int def,
    int *out);
int ask_int(struct asker *a, struct preset *p, const char *prompt, long def,
    long min, long max, long *out);

/* tty_menu: BulletMenu on the terminal IN/OUT (menu_tty.c); 0, -1 on end
 * of input or a terminal that cannot be set up, -2 on Ctrl-C. */
int tty_menu(FILE *in, FILE *out, const char *prompt, const struct menu *m,
    size_t def, size_t *choice);

/* Conversions shared with flag checking: 0 or -1. */
int menu_pick(const struct menu *m, const char *answer, size_t *out);
int yesno_parse(const char *answer, int *out);
int python_int_parse(const char *answer, long min, long max, long *out);

#endif
