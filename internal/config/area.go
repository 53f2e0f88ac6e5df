package config

import (
	"slices"
	"sync"
	"time"
)

// An area of the school declares its own settings beside its code, and reads them from the
// Config it is given; the kernel's Config struct does not grow a field per area. Load reads and
// checks every declared setting with the kernel's, so a wrong value stops the binary at start,
// naming the setting, and All lists them for the README's table.

// A Value is an area's setting of type T, as declared.
type Value[T any] struct {
	name string
	read func(*reader) any
}

// DeclareDuration declares an area's setting of a positive duration, such as 72h. Declare each
// once, as a package-level variable.
func DeclareDuration(name, def, meaning string) Value[time.Duration] {
	return declareValue[time.Duration](name, def, meaning, func(r *reader) any { return r.duration(name) })
}

// DeclareClock declares an area's setting of a time of day (HH:MM, in the schools' time zone),
// read as the time since midnight.
func DeclareClock(name, def, meaning string) Value[time.Duration] {
	return declareValue[time.Duration](name, def, meaning, func(r *reader) any { return r.clock(name) })
}

// DeclareNumber declares an area's setting of a whole number from lo to hi.
func DeclareNumber(name, def, meaning string, lo, hi int) Value[int] {
	return declareValue[int](name, def, meaning, func(r *reader) any { return r.number(name, lo, hi) })
}

// DeclareText declares an area's setting of one line of text; "" is none.
func DeclareText(name, def, meaning string) Value[string] {
	return declareValue[string](name, def, meaning, func(r *reader) any { return r.str(name) })
}

// DeclareList declares an area's setting of a comma-separated list of names; "" is none.
func DeclareList(name, def, meaning string) Value[[]string] {
	return declareValue[[]string](name, def, meaning, func(r *reader) any { return r.list(name) })
}

func declareValue[T any](name, def, meaning string, read func(*reader) any) Value[T] {
	declare(areaSetting{Setting: Setting{Name: name, Default: def, Meaning: meaning}, read: read})
	return Value[T]{name: name, read: read}
}

// In is the setting's value in c: as Load read it, or its default in a Config built by hand.
func (v Value[T]) In(c Config) T {
	if x, ok := c.areas[v.name]; ok {
		return x.(T)
	}
	r := reader{getenv: func(string) string { return "" }}
	return v.read(&r).(T)
}

// Set gives the setting a value in c, for tests that run an area's processes at their own pace.
func (v Value[T]) Set(c *Config, x T) {
	c.areas = copied(c.areas)
	c.areas[v.name] = x
}

// copied copies m, so that a Config changed by Set shares nothing with the one it came from.
func copied(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

type areaSetting struct {
	Setting
	read func(*reader) any
}

var declared struct {
	sync.Mutex
	settings []areaSetting
}

func declare(s areaSetting) {
	declared.Lock()
	defer declared.Unlock()
	if slices.ContainsFunc(Settings, func(k Setting) bool { return k.Name == s.Name }) ||
		slices.ContainsFunc(declared.settings, func(a areaSetting) bool { return a.Name == s.Name }) {
		panic("config: the setting " + s.Name + " is declared twice")
	}
	declared.settings = append(declared.settings, s)
}

// areaValues reads every declared area setting.
func areaValues(r *reader) map[string]any {
	declared.Lock()
	settings := slices.Clone(declared.settings)
	declared.Unlock()
	values := make(map[string]any, len(settings))
	for _, s := range settings {
		values[s.Name] = s.read(r)
	}
	return values
}

// All lists every setting: the kernel's (Settings), then the areas' as declared.
func All() []Setting {
	declared.Lock()
	defer declared.Unlock()
	all := slices.Clone(Settings)
	for _, s := range declared.settings {
		all = append(all, s.Setting)
	}
	return all
}
