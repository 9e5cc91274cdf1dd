// Package par runs independent loop iterations on every core.
package par

import (
	"runtime"
	"sync"
)

// For runs f(0..n-1) over GOMAXPROCS goroutines in contiguous chunks.
func For(n int, f func(i int)) {
	if n <= 0 {
		return
	}
	w := runtime.GOMAXPROCS(0)
	chunk := (n + w - 1) / w
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				f(i)
			}
		}()
	}
	wg.Wait()
}
