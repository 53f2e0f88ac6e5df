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

// A Duration is an area's setting of a positive duration, such as 72h.
type Duration struct{ name string }

// DeclareDuration declares an area's duration setting, once, as a package-level variable.
func DeclareDuration(name, def, meaning string) Duration {
	declare(areaSetting{Setting: Setting{Name: name, Default: def, Meaning: meaning},
		read: func(r *reader) any { return r.duration(name) }})
	return Duration{name}
}

// In is the setting's value in c: as Load read it, or its default in a Config built by hand.
func (d Duration) In(c Config) time.Duration {
	if v, ok := c.areas[d.name]; ok {
		return v.(time.Duration)
	}
	r := reader{getenv: func(string) string { return "" }}
	return r.duration(d.name)
}

// Set gives the setting a value in c, for tests that run an area's processes at their own pace.
func (d Duration) Set(c *Config, v time.Duration) {
	c.areas = maps(c.areas)
	c.areas[d.name] = v
}

// maps copies m, so that a Config changed by Set shares nothing with the one it came from.
func maps(m map[string]any) map[string]any {
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
