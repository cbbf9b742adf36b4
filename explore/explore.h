/* SPDX-License-Identifier: MIT */
/*
 * explore/explore.h - `ndisrt explore` and `ndisrt replay`: campaigns of
 * deterministic runs that look for schedules breaking a driver, failure
 * bundles, replay and shrinking (docs/sim.md).
 *
 * A campaign runs `ndisrt run --engine sim` once per schedule, each in its
 * own process (a bug check ends a run's process; a hang is killed at its
 * wall-clock bound), so explore/ needs nothing below the command line of
 * `ndisrt run` and the schedule files it writes.
 */
#ifndef NDISRT_EXPLORE_H
#define NDISRT_EXPLORE_H

/**
 * explore_main() - `ndisrt explore [options] [run options]`.
 * @argv: argv[0] is "explore".
 * Return: 0 nothing found, 1 failures found, 64 bad options, 70 a run could
 * not be started or ended in an unexpected way.
 */
int explore_main(int argc, char **argv);

/**
 * explore_replay_main() - `ndisrt replay BUNDLE`: run the bundle's schedule
 * again, in this process (single host thread: gdb-friendly).
 * Return: only on error (64 or 66); otherwise the run's exit status.
 */
int explore_replay_main(int argc, char **argv);

#endif /* NDISRT_EXPLORE_H */
