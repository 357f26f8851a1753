/*
 * C glue of the lua-token fixture: the `handle(msg, env)` export an AO emscripten loader calls.
 *
 * The first call creates the Lua state, opens the safe standard libraries (no io, no os: the
 * process reads no clock and no file), registers the embedded Lua modules as preloads and
 * requires "process". Every call then runs `process.handle(msgJSON, envJSON)` under a protected
 * call and returns `{"ok":true,"response":<its JSON>}` or `{"ok":false,"response":"<error>"}`.
 */
#include <stdlib.h>
#include <string.h>
#include <emscripten.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

/* Generated at build time from processes/lua-token/lua/*.lua (see build.mjs). */
extern const int holo_module_count;
extern const char *const holo_module_names[];
extern const unsigned char *const holo_module_sources[];
extern const unsigned int holo_module_sizes[];

static lua_State *state = NULL;
static char *result = NULL;

/* Lua: __trap() aborts the whole module (a WebAssembly trap through the loader's abort import). */
static int l_trap(lua_State *L) {
  (void)L;
  abort();
  return 0;
}

static const luaL_Reg safe_libs[] = {
  {"_G", luaopen_base},
  {LUA_LOADLIBNAME, luaopen_package},
  {LUA_COLIBNAME, luaopen_coroutine},
  {LUA_TABLIBNAME, luaopen_table},
  {LUA_STRLIBNAME, luaopen_string},
  {LUA_MATHLIBNAME, luaopen_math},
  {LUA_UTF8LIBNAME, luaopen_utf8},
  {NULL, NULL},
};

/* Keeps a copy of `s` alive until the next call and returns it. */
static const char *keep(const char *s, size_t n) {
  free(result);
  result = (char *)malloc(n + 1);
  if (result == NULL) abort();
  memcpy(result, s, n);
  result[n] = '\0';
  return result;
}

/* `{"ok":false,"response":"<message as a JSON string>"}` */
static const char *failure(const char *message) {
  luaL_Buffer b;
  const char *p;
  lua_State *L = state;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "{\"ok\":false,\"response\":\"");
  for (p = message; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '"' || c == '\\') {
      luaL_addchar(&b, '\\');
      luaL_addchar(&b, (char)c);
    } else if (c < 0x20) {
      char esc[8];
      static const char hex[] = "0123456789abcdef";
      esc[0] = '\\'; esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
      esc[4] = hex[c >> 4]; esc[5] = hex[c & 15]; esc[6] = '\0';
      luaL_addstring(&b, esc);
    } else {
      luaL_addchar(&b, (char)c);
    }
  }
  luaL_addstring(&b, "\"}");
  luaL_pushresult(&b);
  {
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    const char *kept = keep(s, n);
    lua_pop(L, 1);
    return kept;
  }
}

/* Creates the state and loads the embedded modules; leaves process.handle in the registry. */
static int boot(lua_State *L) {
  const luaL_Reg *lib;
  int i;
  for (lib = safe_libs; lib->func; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  lua_pushcfunction(L, l_trap);
  lua_setglobal(L, "__trap");
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  for (i = 0; i < holo_module_count; i++) {
    char chunkname[128];
    strcpy(chunkname, "=");
    strncat(chunkname, holo_module_names[i], sizeof(chunkname) - 8);
    strcat(chunkname, ".lua");
    if (luaL_loadbuffer(L, (const char *)holo_module_sources[i], holo_module_sizes[i], chunkname) != LUA_OK)
      return lua_error(L);
    lua_setfield(L, -2, holo_module_names[i]);
  }
  lua_pop(L, 2);
  lua_getglobal(L, "require");
  lua_pushstring(L, "process");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "handle");
  if (!lua_isfunction(L, -1)) return luaL_error(L, "module process has no handle function");
  lua_setfield(L, LUA_REGISTRYINDEX, "holo.handle");
  lua_pop(L, 1);
  return 0;
}

EMSCRIPTEN_KEEPALIVE
const char *handle(const char *msg, const char *env) {
  lua_State *L;
  if (state == NULL) {
    state = luaL_newstate();
    if (state == NULL) abort();
    lua_pushcfunction(state, boot);
    if (lua_pcall(state, 0, 0, 0) != LUA_OK) {
      const char *r = failure(lua_tostring(state, -1));
      lua_close(state);
      state = NULL;
      return r;
    }
  }
  L = state;
  lua_getfield(L, LUA_REGISTRYINDEX, "holo.handle");
  lua_pushstring(L, msg);
  lua_pushstring(L, env);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
    const char *message = lua_tostring(L, -1);
    const char *r = failure(message ? message : "(error object is not a string)");
    lua_pop(L, 1);
    return r;
  }
  {
    size_t n;
    const char *response = lua_tolstring(L, -1, &n);
    const char *prefix = "{\"ok\":true,\"response\":";
    size_t pn = strlen(prefix);
    char *out;
    free(result);
    result = (char *)malloc(pn + n + 2);
    if (result == NULL) abort();
    out = result;
    memcpy(out, prefix, pn);
    memcpy(out + pn, response, n);
    out[pn + n] = '}';
    out[pn + n + 1] = '\0';
    lua_pop(L, 1);
    return result;
  }
}

/* The emscripten glue calls main() once at start-up; nothing to do here. */
int main(void) { return 0; }
