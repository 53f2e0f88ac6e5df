package seed

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ParseArgs reads the arguments of `skolflow seed`: --scale NAME, and --replace to replace a
// register an earlier seed made.
func ParseArgs(args []string) (Options, error) {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	scale := fs.String("scale", "", "")
	replace := fs.Bool("replace", false, "")
	if err := fs.Parse(args); err != nil {
		return Options{}, err
	}
	if fs.NArg() > 0 {
		return Options{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *scale == "" {
		return Options{}, errors.New("--scale is required: " + ScaleNames())
	}
	s, err := ScaleNamed(*scale)
	if err != nil {
		return Options{}, err
	}
	return Options{Scale: s, Replace: *replace}, nil
}
