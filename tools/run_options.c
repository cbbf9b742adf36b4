/* SPDX-License-Identifier: MIT */
/*
 * tools/run_options.c - `ndisrt run` options: defaults, parsing, validation.
 *
 * Every error is one line that names the option, says what was wrong and
 * what is accepted; the exit status is EX_USAGE (64).
 */
#include "tools/run_options.h"
#include "tools/trace.h"
#include "verifier/vfy.h"

#include "hw/device.h"
#include "ndisrt/params.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EX_USAGE 64

void run_options_usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: ndisrt run [options]\n"
	    "\n"
	    "Boot a virtual machine, hand a miniport driver VN-1 NICs, push traffic through\n"
	    "its interrupt path, and report what happened. With no option: two VN-1s back to\n"
	    "back, the sample miniport on each, MSI-X, RSS over all vCPUs, one side sending\n"
	    "generated traffic to the other for 3 seconds.\n"
	    "\n"
	    "  --driver PATH.so|NAME  miniport to load: a shared object exporting DriverEntry,\n"
	    "                         or a built-in sample: vn1 (NDIS 6.20), vn1_line\n"
	    "                         (NDIS 6.20 in one file), vn1pio (NDIS 5.1, line only),\n"
	    "                         e1000 (NDIS 5.1), virtio_net (NDIS 6.20), rtl8139\n"
	    "                         (NDIS 5.1); it serves every NIC. Default: each NIC\n"
	    "                         gets the sample of its --device model\n"
	    "  --device MODEL[,MODEL] device model of each NIC, the list cycled over the NICs\n"
	    "                         (default vn1; models below; mixed models: a driver each)\n"
	    "  --cpus N               vCPUs (1..%d; default 2)\n"
	    "  --nics N               VN-1 NICs (1..%d; default 2)\n"
	    "  --irq MODE             line | msi | msix[:N]  (default msix; N messages 1..%d)\n"
	    "  --shared-line          every NIC's INTx on ONE level-triggered line (implies\n"
	    "                         --irq line): each interrupt calls the NICs' ISRs in turn\n"
	    "                         until one claims it, as Windows does on a shared line\n"
	    "  --wire KIND            pair (NICs back to back, default) | gen (generator feeds\n"
	    "                         every NIC) | pcap:FILE (replay a capture into every NIC)\n"
	    "  --frames N             stop after N frames offered (default: run --seconds)\n"
	    "  --seconds S            run for S seconds (default 3)\n"
	    "  --interrupts N         soak: send until the vCPUs took N interrupts (no time\n"
	    "                         limit unless --seconds), then compare the interrupts\n"
	    "                         the devices requested with those taken: 0 lost, 0\n"
	    "                         duplicated, or the run fails (--wire pair only)\n"
	    "  --size B               frame size in bytes, 64..1514 (default 512)\n"
	    "  --flows F              distinct flows, for RSS to spread (default 64)\n"
	    "  --max-nbls N           MaxNblsToIndicate per DPC, or 'all' (default 64)\n"
	    "  --capture FILE         write every frame the NICs send to a pcap file\n"
	    "  --json FILE            also write the report as JSON ('-': JSON alone on\n"
	    "                         stdout, the human report on stderr)\n"
	    "  --trace FILE           write a timeline of the interrupt path (ISRs, DPCs,\n"
	    "                         sync routines, spin waits, IRQL, device interrupt\n"
	    "                         output, request->ISR->DPC arrows) as Chrome trace-event\n"
	    "                         JSON: open it in ui.perfetto.dev (docs/trace.md)\n"
	    "  --trace-events N       events the trace keeps, the last ones of the run\n"
	    "                         (%u..%u; default %u: the file stays under %u MB)\n"
	    "  --engine KIND          threads (one host thread per vCPU, default) | sim (the\n"
	    "                         deterministic engine: one host thread, virtual time)\n"
	    "  --seed S               sim: the schedule's seed (default 0); the same seed,\n"
	    "                         build and options give the same run (docs/sim.md);\n"
	    "                         with --fault: which NIC and message each fault hits\n"
	    "  --sim-strategy ST      sim: random (default) | default | sweep:K | pct:D[:H] |\n"
	    "                         replay:FILE (what ndisrt explore and replay pass)\n"
	    "  --sim-log FILE         sim: write the schedule's deviations to FILE\n"
	    "  --race auto|on|off     sim: the data-race detector on the driver's memory, for\n"
	    "                         drivers compiled with -fsanitize=thread (default auto:\n"
	    "                         on under --engine sim when the driver is instrumented)\n"
	    "  --verifier MODE        fatal (default): a verifier finding (lock order, ...) stops\n"
	    "                         the run with its bug check; warn: report every finding\n"
	    "                         and go on (the run still fails); off: no verifier checks\n"
	    "  --sarif FILE           write bug checks and warnings as a SARIF 2.1.0 log, each\n"
	    "                         at the driver's source line (build the driver with -g)\n"
	    "  --param [NIC:]NAME=VALUE  a configuration parameter the driver reads with\n"
	    "                         NdisReadConfiguration (a registry keyword on Windows;\n"
	    "                         NetworkAddress for NdisReadNetworkAddress), for every\n"
	    "                         NIC or for NIC number NIC (0-based); repeatable, the\n"
	    "                         last value wins; a NIC's own value beats the shared one\n"
	    "  --phase-timeout [PHASE=]S  deadline of a driver phase in seconds (entry,\n"
	    "                         initialize, oid, pause, restart, halt, unload, send,\n"
	    "                         other; no PHASE: all of them). Defaults: oid 12,\n"
	    "                         other 60, the rest 30\n"
	    "  --watchdog SPEC        off, or allotments in ms: isr=MS,dpc=MS,spin=MS,\n"
	    "                         dispatch=MS (0: that one off). An ISR, DPC or spin\n"
	    "                         over its allotment, or a vCPU at DISPATCH_LEVEL over\n"
	    "                         dispatch, is bug check 0x133; a deadlock is 0xC4\n"
	    "                         0x1F80. Defaults: isr, dpc, spin 5000, dispatch 20000;\n"
	    "                         on with the verifier (off with --verifier off unless\n"
	    "                         given). hold-us=US also times every spin-lock hold and\n"
	    "                         counts those over US µs (Microsoft's guidance: 25);\n"
	    "                         off by default: it takes every lock operation off the\n"
	    "                         fast path (about 2x the CPU time)\n"
	    "  --fault KIND[:N]       inject a host fault into every NIC in turn, one every N\n"
	    "                         interrupts the vCPUs take (default N 200; repeatable):\n"
	    "                         spurious-irq, stuck-line (--irq line), drop-msg (--irq\n"
	    "                         msi|msix), dma-writeback-delay (vn1: 200 us for 5 ms),\n"
	    "                         dma-error, link (a link flap), surprise-remove (once,\n"
	    "                         after N interrupts, default 2000: the receiving NIC\n"
	    "                         of the first pair is gone). The NIC and message of\n"
	    "                         each fault come from --seed. A model that lacks the\n"
	    "                         fault is exit 64. docs/reliability.md has the table\n"
	    "  --quiet                no progress line\n"
	    "  -h, --help             this text\n"
	    "\n"
	    "Exit status: 0 when every frame is accounted for and no bug check fired;\n"
	    "1 when conservation failed or a bug check fired (the report says why);\n"
	    "64 for a bad option; 66 for a driver or capture that cannot be loaded;\n"
	    "73 when an output file cannot be created, 74 when it cannot be written.\n",
	    RUN_MAX_CPUS, RUN_MAX_NICS, RUN_MAX_MSIX, TRACE_EVENTS_MIN, TRACE_EVENTS_MAX,
	    TRACE_EVENTS_DEFAULT,
	    (unsigned)(((uint64_t)TRACE_EVENTS_DEFAULT * TRACE_MAX_EVENT_BYTES +
			TRACE_MAX_META_BYTES + 999999) /
		       1000000));
	fprintf(f, "\nDevice models (--device):\n");
	for (size_t i = 0; hw_device_model_at(i); i++)
		fprintf(f, "  %-22s %s\n", hw_device_model_at(i)->name,
			hw_device_model_at(i)->summary);
}

static void defaults(struct run_options *o)
{
	memset(o, 0, sizeof(*o));
	o->driver = "vn1";
	o->device[0] = "vn1";
	o->nr_devices = 1;
	o->cpus = 2;
	o->nics = 2;
	o->irq = RUN_IRQ_MSIX;
	o->wire = RUN_WIRE_PAIR;
	o->seconds = 3.0;
	o->size = 512;
	o->flows = 64;
	o->max_nbls = 64;
	o->verifier = VFY_FATAL;
	o->trace_events = TRACE_EVENTS_DEFAULT;
	for (unsigned i = 0; i < NDISRT_NR_PHASES; i++)
		o->phase_timeout[i] = -1;
	for (unsigned i = 0; i < 5; i++)
		o->watchdog_ms[i] = -1;
}

/*
 * Parse an unsigned decimal in [lo, hi]; 0 on success. Strict: digits only
 * (no sign, no blanks, no 0x, no exponent), as a user writes a count.
 */
static int parse_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/*
 * Parse a decimal number of seconds ("3", "0.5", "2.25"): digits, at most
 * one '.', at least one digit; nothing strtod() would also take (blanks,
 * signs, exponents, hex, inf, nan). 0 on success.
 */
static int parse_decimal(const char *s, double *out)
{
	unsigned digits = 0, dots = 0;
	char *end;

	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p == '.')
			dots++;
		else if (*p >= '0' && *p <= '9')
			digits++;
		else
			return -1;
	}
	if (!digits || dots > 1 || digits > 15)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return errno || *end ? -1 : 0;
}

/*
 * @s as the user typed it, but on one line: a control character (a newline
 * in an argument would split the one-line error) is written as \xNN.
 */
static void put_arg(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02X", c);
		else
			fputc(c, f);
	}
}

static int bad(FILE *err, const char *opt, const char *val, const char *want)
{
	fputs("ndisrt run: ", err);
	put_arg(err, opt);
	if (val) {
		fputs(" '", err);
		put_arg(err, val);
		fprintf(err, "' is not valid: %s\n", want);
	} else {
		fprintf(err, " needs a value: %s\n", want);
	}
	return EX_USAGE;
}

static int parse_irq(const char *v, struct run_options *o, FILE *err)
{
	uint64_t n;

	if (v && !strcmp(v, "line")) {
		o->irq = RUN_IRQ_LINE;
	} else if (v && !strcmp(v, "msi")) {
		o->irq = RUN_IRQ_MSI;
	} else if (v && !strcmp(v, "msix")) {
		o->irq = RUN_IRQ_MSIX;
		o->msix_messages = 0;
	} else if (v && !strncmp(v, "msix:", 5) && !parse_uint(v + 5, 1, RUN_MAX_MSIX, &n)) {
		o->irq = RUN_IRQ_MSIX;
		o->msix_messages = (unsigned)n;
	} else {
		return bad(err, "--irq", v, "use line, msi, msix or msix:N with N from 1 to 16");
	}
	return 0;
}

/* --device a,b,c: each a registered model; the list is cycled over the NICs. */
static int parse_device(const char *v, struct run_options *o, FILE *err)
{
	char *p, *save = NULL;
	unsigned n = 0;

	if (!v || !*v || strlen(v) >= sizeof(o->device_buf))
		return bad(err, "--device", v, "a device model name, or a comma-separated list");
	memcpy(o->device_buf, v, strlen(v) + 1);
	for (p = strtok_r(o->device_buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (n == RUN_MAX_NICS)
			return bad(err, "--device", v, "at most 8 models, one per NIC");
		if (!hw_device_model_find(p)) {
			fputs("ndisrt run: --device '", err);
			put_arg(err, p);
			fputs("' is not a device model (try 'ndisrt run --help' for the list)\n",
			      err);
			return EX_USAGE;
		}
		o->device[n++] = p;
	}
	if (!n || v[strlen(v) - 1] == ',' || v[0] == ',' || strstr(v, ",,"))
		return bad(err, "--device", v, "a device model name, or a comma-separated list");
	o->nr_devices = n;
	return 0;
}

static int parse_wire(const char *v, struct run_options *o, FILE *err)
{
	if (v && !strcmp(v, "pair")) {
		o->wire = RUN_WIRE_PAIR;
	} else if (v && !strcmp(v, "gen")) {
		o->wire = RUN_WIRE_GEN;
	} else if (v && !strncmp(v, "pcap:", 5) && v[5]) {
		o->wire = RUN_WIRE_PCAP;
		o->pcap_in = v + 5;
	} else {
		return bad(err, "--wire", v, "use pair, gen or pcap:FILE");
	}
	return 0;
}

/* --fault KIND[:N]: a fault hw/device.h names; N interrupts between two (1..10^9). */
static int parse_fault(const char *v, struct run_options *o, FILE *err)
{
	static const char want[] =
	    "KIND[:N], KIND one of spurious-irq, stuck-line, drop-msg, dma-writeback-delay, "
	    "dma-error, link, surprise-remove; N a whole number of interrupts from 1 to 10^9";
	const char *colon = v ? strchr(v, ':') : NULL;
	size_t len = colon ? (size_t)(colon - v) : (v ? strlen(v) : 0);
	uint64_t n = 0;
	int kind = -1;

	if (!v || !*v)
		return bad(err, "--fault", v, want);
	for (int f = 0; f < HW_FAULT_COUNT; f++)
		if (strlen(hw_fault_name((enum hw_fault)f)) == len &&
		    !strncmp(v, hw_fault_name((enum hw_fault)f), len))
			kind = f;
	if (kind < 0 || (colon && parse_uint(colon + 1, 1, 1000000000ull, &n)))
		return bad(err, "--fault", v, want);
	if (o->nr_faults == RUN_MAX_FAULTS)
		return bad(err, "--fault", v, "at most 8 --fault options");
	for (unsigned i = 0; i < o->nr_faults; i++)
		if (o->fault[i].kind == kind)
			return bad(err, "--fault", v, "each KIND once");
	o->fault[o->nr_faults].kind = kind;
	o->fault[o->nr_faults].every = n ? n : kind == HW_FAULT_SURPRISE_REMOVE ? 2000 : 200;
	o->nr_faults++;
	return 0;
}

static int parse_seconds(const char *v, struct run_options *o, FILE *err)
{
	double s;

	if (parse_decimal(v, &s) || !(s > 0) || s > 86400)
		return bad(err, "--seconds", v,
			   "a number of seconds above 0 and at most 86400, e.g. 3 or 0.5");
	o->seconds = s;
	o->seconds_given = true;
	return 0;
}

/* --phase-timeout S (every phase) or PHASE=S; 0 turns a deadline off. */
static int parse_phase_timeout(const char *v, struct run_options *o, FILE *err)
{
	static const char want[] =
	    "[PHASE=]SECONDS, PHASE one of entry, initialize, oid, pause, "
	    "restart, halt, unload, send, other; SECONDS up to 86400 (0: none)";
	const char *eq = v ? strchr(v, '=') : NULL;
	double s;
	int phase = -1;

	if (eq) {
		char name[32];

		if ((size_t)(eq - v) >= sizeof(name))
			return bad(err, "--phase-timeout", v, want);
		memcpy(name, v, (size_t)(eq - v));
		name[eq - v] = 0;
		phase = ndisrt_phase_by_name(name);
		if (phase < 0)
			return bad(err, "--phase-timeout", v, want);
	}
	if (parse_decimal(eq ? eq + 1 : v, &s) || s > 86400)
		return bad(err, "--phase-timeout", v, want);
	for (int i = 0; i < NDISRT_NR_PHASES; i++)
		if (phase < 0 || i == phase)
			o->phase_timeout[i] = s;
	return 0;
}

/* --watchdog off | KEY=N[,KEY=N...], KEY one of isr, dpc, spin, dispatch (ms), hold-us (µs). */
static int parse_watchdog(const char *v, struct run_options *o, FILE *err)
{
	static const char want[] = "off, or isr=MS,dpc=MS,spin=MS,dispatch=MS,hold-us=US (any of "
				   "them; MS 0..3600000, US 0..1000000, 0: off)";
	static const char *const keys[5] = {"isr", "dpc", "spin", "dispatch", "hold-us"};
	char buf[128], *save = NULL;

	if (!v || !*v || strlen(v) >= sizeof(buf))
		return bad(err, "--watchdog", v, want);
	o->watchdog_given = true;
	if (!strcmp(v, "off")) {
		o->watchdog_off = true;
		return 0;
	}
	strcpy(buf, v);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		uint64_t ms;
		int k = -1;

		if (!eq)
			return bad(err, "--watchdog", v, want);
		*eq = 0;
		for (int i = 0; i < 5; i++)
			if (!strcmp(tok, keys[i]))
				k = i;
		if (k < 0 || parse_uint(eq + 1, 0, k == 4 ? 1000000 : 3600000, &ms))
			return bad(err, "--watchdog", v, want);
		o->watchdog_ms[k] = (long)ms;
	}
	o->watchdog_off = false;
	return 0;
}

/* One option with its value; *used tells whether the value was consumed. */
static int parse_one(const char *opt, const char *v, struct run_options *o, FILE *err)
{
	uint64_t n;

	if (!strcmp(opt, "--driver")) {
		if (!v || !*v)
			return bad(err, opt, v,
				   "a path to a .so or a sample name (vn1, e1000, ...)");
		o->driver = v;
		o->driver_given = true;
	} else if (!strcmp(opt, "--device")) {
		return parse_device(v, o, err);
	} else if (!strcmp(opt, "--cpus")) {
		if (parse_uint(v, 1, RUN_MAX_CPUS, &n))
			return bad(err, opt, v, "a whole number from 1 to 64");
		o->cpus = (unsigned)n;
	} else if (!strcmp(opt, "--nics")) {
		if (parse_uint(v, 1, RUN_MAX_NICS, &n))
			return bad(err, opt, v, "a whole number from 1 to 8");
		o->nics = (unsigned)n;
	} else if (!strcmp(opt, "--irq")) {
		o->irq_given = true;
		return parse_irq(v, o, err);
	} else if (!strcmp(opt, "--wire")) {
		return parse_wire(v, o, err);
	} else if (!strcmp(opt, "--frames")) {
		if (parse_uint(v, 1, UINT64_MAX / 2, &n))
			return bad(err, opt, v, "a whole number of frames, at least 1");
		o->frames = n;
	} else if (!strcmp(opt, "--seconds")) {
		return parse_seconds(v, o, err);
	} else if (!strcmp(opt, "--fault")) {
		return parse_fault(v, o, err);
	} else if (!strcmp(opt, "--interrupts")) {
		if (parse_uint(v, 1, 1000000000000ull, &n))
			return bad(err, opt, v, "a whole number of interrupts from 1 to 10^12");
		o->interrupts = n;
	} else if (!strcmp(opt, "--phase-timeout")) {
		return parse_phase_timeout(v, o, err);
	} else if (!strcmp(opt, "--size")) {
		if (parse_uint(v, 64, 1514, &n))
			return bad(err, opt, v, "a frame size from 64 to 1514 bytes");
		o->size = (unsigned)n;
	} else if (!strcmp(opt, "--flows")) {
		if (parse_uint(v, 1, 1000000, &n))
			return bad(err, opt, v, "a whole number of flows from 1 to 1000000");
		o->flows = (unsigned)n;
	} else if (!strcmp(opt, "--max-nbls")) {
		o->max_nbls_given = true;
		if (v && !strcmp(v, "all"))
			o->max_nbls = 0xFFFFFFFFu;
		else if (parse_uint(v, 1, 0xFFFFFFFEu, &n))
			return bad(err, opt, v, "a whole number of NBLs, at least 1, or 'all'");
		else
			o->max_nbls = (uint32_t)n;
	} else if (!strcmp(opt, "--capture")) {
		if (!v || !*v)
			return bad(err, opt, v, "a file to write the capture to");
		o->capture = v;
	} else if (!strcmp(opt, "--engine")) {
		if (v && !strcmp(v, "sim"))
			o->sim = true;
		else if (v && !strcmp(v, "threads"))
			o->sim = false;
		else
			return bad(err, opt, v, "use threads or sim");
	} else if (!strcmp(opt, "--seed")) {
		if (parse_uint(v, 0, UINT64_MAX, &n))
			return bad(err, opt, v, "a whole number from 0 to 2^64-1");
		o->seed = n;
		o->seed_given = true;
	} else if (!strcmp(opt, "--sim-strategy")) {
		if (!v || !*v)
			return bad(err, opt, v,
				   "random, default, sweep:K, pct:D[:H] or replay:FILE");
		o->sim_strategy = v;
	} else if (!strcmp(opt, "--sim-log")) {
		if (!v || !*v)
			return bad(err, opt, v, "a file to write the deviations to");
		o->sim_log = v;
	} else if (!strcmp(opt, "--json")) {
		if (!v || !*v)
			return bad(err, opt, v, "a file to write the JSON report to, or '-'");
		o->json = v;
	} else if (!strcmp(opt, "--trace")) {
		if (!v || !*v)
			return bad(err, opt, v, "a file to write the trace to");
		o->trace = v;
	} else if (!strcmp(opt, "--trace-events")) {
		if (parse_uint(v, TRACE_EVENTS_MIN, TRACE_EVENTS_MAX, &n))
			return bad(err, opt, v, "a whole number of events from 1024 to 67108864");
		o->trace_events = (unsigned)n;
	} else if (!strcmp(opt, "--race")) {
		if (v && !strcmp(v, "auto"))
			o->race = RUN_RACE_AUTO;
		else if (v && !strcmp(v, "on"))
			o->race = RUN_RACE_ON;
		else if (v && !strcmp(v, "off"))
			o->race = RUN_RACE_OFF;
		else
			return bad(err, opt, v, "auto, on or off");
	} else if (!strcmp(opt, "--verifier")) {
		if (v && !strcmp(v, "fatal"))
			o->verifier = VFY_FATAL;
		else if (v && !strcmp(v, "warn"))
			o->verifier = VFY_WARN;
		else if (v && !strcmp(v, "off"))
			o->verifier = VFY_OFF;
		else
			return bad(err, opt, v, "fatal, warn or off");
	} else if (!strcmp(opt, "--watchdog")) {
		return parse_watchdog(v, o, err);
	} else if (!strcmp(opt, "--param")) {
		if (ndisrt_param_check(v, NULL))
			return bad(err, opt, v,
				   "[NIC:]NAME=VALUE, NIC 0..63, NAME up to 63 letters, digits "
				   "or _*.-, VALUE up to 255 printable ASCII characters");
		if (o->nr_params == RUN_MAX_PARAMS)
			return bad(err, opt, v, "at most 64 --param options");
		o->param[o->nr_params++] = v;
	} else if (!strcmp(opt, "--sarif")) {
		if (!v || !*v)
			return bad(err, opt, v, "a file to write the SARIF log to");
		o->sarif = v;
	} else {
		fputs("ndisrt run: unknown option '", err);
		put_arg(err, opt);
		fputs("' (try 'ndisrt run --help')\n", err);
		return EX_USAGE;
	}
	return 0;
}

static bool takes_value(const char *opt)
{
	static const char *const with_value[] = {
	    "--driver",	      "--device",	"--cpus",     "--nics",	      "--irq",
	    "--wire",	      "--frames",	"--seconds",  "--size",	      "--flows",
	    "--max-nbls",     "--capture",	"--json",     "--engine",     "--seed",
	    "--sim-strategy", "--sim-log",	"--sarif",    "--verifier",   "--phase-timeout",
	    "--trace",	      "--trace-events", "--watchdog", "--interrupts", "--fault",
	    "--param"};

	if (!strcmp(opt, "--race"))
		return true;

	for (size_t i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
		if (!strcmp(opt, with_value[i]))
			return true;
	return false;
}

/*
 * Without --driver, each NIC gets the sample miniport of its --device model
 * (mixed models: several drivers in one run, o->driver their names joined
 * by '+'). With --driver, that one driver serves every NIC, whatever the
 * models: whether it drives them is its MiniportInitialize's answer.
 */
static int pick_sample(struct run_options *o, FILE *err)
{
	size_t at = 0;

	for (unsigned i = 0; i < o->nr_devices; i++)
		o->drivers[i] = o->driver;
	if (o->driver_given)
		return 0;
	o->driver_label[0] = 0;
	for (unsigned i = 0; i < o->nr_devices; i++) {
		const struct hw_device_model *m = hw_device_model_find(o->device[i]);
		const char *s = m ? m->sample_driver : NULL;
		bool seen = false;

		if (!s) {
			fputs("ndisrt run: --device '", err);
			put_arg(err, o->device[i]);
			fputs("' has no sample miniport: give --driver\n", err);
			return EX_USAGE;
		}
		o->drivers[i] = s;
		for (unsigned j = 0; j < i; j++)
			seen |= !strcmp(o->drivers[j], s);
		if (!seen && at < sizeof(o->driver_label))
			at += (size_t)snprintf(o->driver_label + at, sizeof(o->driver_label) - at,
					       "%s%s", at ? "+" : "", s);
	}
	o->driver = o->driver_label;
	return 0;
}

static int cross_check(struct run_options *o, FILE *err)
{
	int rc = pick_sample(o, err);

	if (rc)
		return rc;
	if (!o->sim && o->race == RUN_RACE_ON) {
		fprintf(err, "ndisrt run: --race on needs the deterministic engine (one host "
			     "thread): add --engine sim\n");
		return EX_USAGE;
	}
	if (o->sim && o->nr_faults) {
		fprintf(err, "ndisrt run: --fault injects from a host thread of its own, which the "
			     "deterministic engine cannot schedule: leave out --engine sim\n");
		return EX_USAGE;
	}
	if (!o->sim && ((o->seed_given && !o->nr_faults) || o->sim_strategy || o->sim_log)) {
		fprintf(err,
			"ndisrt run: --seed, --sim-strategy and --sim-log choose a schedule "
			"of the deterministic engine: add --engine sim (or --fault, for --seed)\n");
		return EX_USAGE;
	}
	if (o->trace && ((o->json && !strcmp(o->trace, o->json)) ||
			 (o->capture && !strcmp(o->trace, o->capture)) ||
			 (o->sarif && !strcmp(o->trace, o->sarif)))) {
		fputs("ndisrt run: --trace names the same file as another output (", err);
		put_arg(err, o->trace);
		fputs(")\n", err);
		return EX_USAGE;
	}
	if (o->json && o->capture && !strcmp(o->json, o->capture)) {
		fputs("ndisrt run: --json and --capture name the same file (", err);
		put_arg(err, o->json);
		fputs(")\n", err);
		return EX_USAGE;
	}
	if (o->interrupts && o->wire != RUN_WIRE_PAIR) {
		fprintf(err, "ndisrt run: --interrupts drives the NICs' own sends: it needs --wire "
			     "pair\n");
		return EX_USAGE;
	}
	for (unsigned i = 0; i < o->nr_params; i++) {
		int nic;

		ndisrt_param_check(o->param[i], &nic);
		if (nic >= (int)o->nics) {
			fputs("ndisrt run: --param '", err);
			put_arg(err, o->param[i]);
			fprintf(err, "' is for NIC %d, but there are %u NICs (0..%u)\n", nic,
				o->nics, o->nics - 1);
			return EX_USAGE;
		}
	}
	if (o->shared_line && o->irq_given && o->irq != RUN_IRQ_LINE) {
		fputs("ndisrt run: --shared-line puts the NICs' INTx pins on one line: use it with "
		      "--irq line (or leave --irq out)\n",
		      err);
		return EX_USAGE;
	}
	if (o->shared_line) {
		o->irq = RUN_IRQ_LINE;
		o->irq_given = true;
	}
	if (o->wire == RUN_WIRE_PAIR && o->nics % 2) {
		fprintf(err,
			"ndisrt run: --wire pair needs an even --nics (got %u): NICs are "
			"plugged back to back in pairs; use --wire gen for an odd count\n",
			o->nics);
		return EX_USAGE;
	}
	return 0;
}

int run_options_parse(int argc, char **argv, struct run_options *o, FILE *out, FILE *err)
{
	defaults(o);
	for (int i = 1; i < argc; i++) {
		char opt[256];
		const char *a = argv[i], *v = NULL, *eq;
		int rc;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			run_options_usage(out);
			return 1;
		}
		if (!strcmp(a, "--quiet")) {
			o->quiet = true;
			continue;
		}
		if (!strcmp(a, "--shared-line")) {
			o->shared_line = true;
			continue;
		}
		eq = strchr(a, '=');
		if (!strncmp(a, "--", 2) && eq && (size_t)(eq - a) < sizeof(opt)) {
			/* --opt=value */
			memcpy(opt, a, (size_t)(eq - a));
			opt[eq - a] = 0;
			v = eq + 1;
		} else {
			snprintf(opt, sizeof(opt), "%s", a);
			if (takes_value(opt) && i + 1 < argc)
				v = argv[++i];
		}
		rc = parse_one(opt, v, o, err);
		if (rc)
			return rc;
	}
	return cross_check(o, err);
}
