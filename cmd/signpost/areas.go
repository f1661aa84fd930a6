package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// areaFile keeps the areas channels are bound to with `area <place>` in a
// small JSON file ({"slack:C0123": "Chew Valley"}), so they survive a
// restart. It holds channel ids and place names only: nothing anyone said.
type areaFile struct {
	path string
	mu   sync.Mutex
	m    map[string]string
}

// openAreaFile reads path; a missing file is an empty one.
func openAreaFile(path string) (*areaFile, error) {
	f := &areaFile{path: path, m: map[string]string{}}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case err != nil:
		return nil, fmt.Errorf("read areas %s: %w", path, err)
	}
	if err := json.Unmarshal(data, &f.m); err != nil {
		return nil, fmt.Errorf("read areas %s: %w", path, err)
	}
	return f, nil
}

// SaveArea records a binding (an empty place removes it) and writes the
// whole file anew, atomically: a crash leaves the old file or the new one.
func (f *areaFile) SaveArea(channel, place string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if place == "" {
		delete(f.m, channel)
	} else {
		f.m[channel] = place
	}
	data, err := json.MarshalIndent(f.m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".areas-*.json")
	if err != nil {
		return fmt.Errorf("save areas: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save areas: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save areas: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("save areas: %w", err)
	}
	return nil
}
