# Stack exports under the names the emscripten4 glue reads (3.1.6 names them stackRestore and
# stackAlloc). Written for this fixture.
.globaltype __stack_pointer, i32

.globl _emscripten_stack_restore
_emscripten_stack_restore:
  .functype _emscripten_stack_restore (i32) -> ()
  local.get 0
  global.set __stack_pointer
  end_function

.globl _emscripten_stack_alloc
_emscripten_stack_alloc:
  .functype _emscripten_stack_alloc (i32) -> (i32)
  .local i32
  global.get __stack_pointer
  local.get 0
  i32.sub
  i32.const -16
  i32.and
  local.tee 1
  global.set __stack_pointer
  local.get 1
  end_function
