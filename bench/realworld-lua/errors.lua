-- Errors: error values, levels, xpcall handlers, errors raised from C
-- functions and from metamethods, nested protected calls, and error().
local ok, e = pcall(error, {code = 42})
assert(not ok and e.code == 42)
ok, e = pcall(error, "plain", 0)
assert(e == "plain")
local function f() error("where", 1) end
ok, e = pcall(f)
assert(e:find("errors.lua:%d+: where"), e)

local trace
ok, e = xpcall(function() local x = nil; return x.field end,
               function(m) trace = debug.traceback(m, 1); return "handled" end)
assert(not ok and e == "handled" and trace:find("attempt to index"), trace)

ok, e = pcall(string.rep, "x", -1, {})
assert(not ok and e:find("bad argument"), e)
ok, e = pcall(function() return 1 + {} end)
assert(not ok and e:find("arithmetic"), e)

local mt = {__add = function() error("from metamethod") end}
ok, e = pcall(function() return setmetatable({}, mt) + 1 end)
assert(not ok and e:find("from metamethod"), e)

local depth = 0
local function nest(n)
  if n == 0 then error("bottom") end
  local ok2, e2 = pcall(nest, n - 1)
  depth = depth + 1
  error(e2, 0)
end
ok, e = pcall(nest, 50)
assert(not ok and e:find("bottom") and depth == 50, e)

-- close variables run while an error unwinds.
local closed = false
ok = pcall(function()
  local x <close> = setmetatable({}, {__close = function() closed = true end})
  error("unwind")
end)
assert(not ok and closed)
print("OK errors")
