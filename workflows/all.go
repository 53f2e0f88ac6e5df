// Package workflows is the kernel's process machinery, which every area's processes use: human
// tasks, notifications, process records, typed activity calls and the work a process runs
// beside its main line. Processes are deterministic, free of I/O, with every timer's duration
// taken from input. The areas' processes live in the areas' folders (leave/, absence/); the
// kernel's own is the Decision.
package workflows

// All lists the kernel's own workflows: the worker registers them, and the replay test replays
// histories against them, so a new process cannot be left out of either. An area's workflows
// come with its Module.
func All() []any {
	return []any{Decision}
}
