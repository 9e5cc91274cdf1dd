package api

import "reflect"

// ServiceType is the registered service's type, for the method-set test.
var ServiceType = reflect.TypeOf(&service{})
