/*
 * menu_tty.c - accelerate's BulletMenu on a terminal: the prompt, the line
 * "Please select a choice using the arrow or number keys, and selecting
 * with enter", the choices with " ➔  " before the current one; arrow keys
 * (or k/j) move, a digit jumps to that choice, enter selects, and the menu
 * is then replaced by " * CHOICE".  The terminal is in non-canonical mode
 * without echo only while the menu runs; Ctrl-C and Ctrl-D end it with the
 * terminal restored.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "questions.h"

enum { KEY_NONE, KEY_UP, KEY_DOWN, KEY_ENTER, KEY_END, KEY_INTR };

static void
draw(FILE *out, const struct menu *m, size_t pos, int redraw)
{
	size_t i;

	if (redraw)
		fprintf(out, "\033[%zuA", m->n);	/* back to the first */
	for (i = 0; i < m->n; i++)
		fprintf(out, "\r\033[2K%s%s\n", i == pos ? " \xe2\x9e\x94  " :
		    "    ", m->choices[i]);
	fflush(out);
}

/* One key; a digit is returned as '0'..'9'. */
static int
read_key(FILE *in, int *digit)
{
	int c = getc(in);

	*digit = -1;
	if (c == 3)
		return KEY_INTR;
	if (c == EOF || c == 4)
		return KEY_END;
	if (c == '\r' || c == '\n')
		return KEY_ENTER;
	if (c == 'k')
		return KEY_UP;
	if (c == 'j')
		return KEY_DOWN;
	if (c >= '0' && c <= '9') {
		*digit = c - '0';
		return KEY_NONE;
	}
	if (c != 033 || getc(in) != '[')
		return KEY_NONE;
	c = getc(in);
	return c == 'A' ? KEY_UP : c == 'B' ? KEY_DOWN : KEY_NONE;
}

int
tty_menu(FILE *in, FILE *out, const char *prompt, const struct menu *m,
    size_t def, size_t *choice)
{
	struct termios saved, raw;
	size_t pos = def;
	int key, digit, fd = fileno(in);

	if (tcgetattr(fd, &saved) == -1)
		return -1;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &raw) == -1)
		return -1;
	/* after the mode change: keys typed from here on are the menu's */
	fprintf(out, "\n%s\nPlease select a choice using the arrow or number "
	    "keys, and selecting with enter\n", prompt);
	fputs("\033[?25l", out);			/* hide the cursor */
	draw(out, m, pos, 0);
	while ((key = read_key(in, &digit)) != KEY_ENTER && key != KEY_END &&
	    key != KEY_INTR) {
		if (key == KEY_UP && pos > 0)
			pos--;
		else if (key == KEY_DOWN && pos + 1 < m->n)
			pos++;
		else if (digit >= 0 && (size_t)digit < m->n)
			pos = (size_t)digit;
		draw(out, m, pos, 1);
	}
	tcsetattr(fd, TCSANOW, &saved);
	/* clear the instruction line and the choices, as BulletMenu does */
	fprintf(out, "\033[%zuA\r\033[J\033[?25h", m->n + 1);
	if (key != KEY_ENTER) {
		fflush(out);
		return key == KEY_INTR ? -2 : -1;
	}
	fprintf(out, " * %s\n", m->choices[pos]);
	*choice = pos;
	return 0;
}
