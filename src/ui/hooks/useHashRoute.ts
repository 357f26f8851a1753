import { useEffect, useState } from 'react'

/** A page of the app, from the URL's hash (so a process page can be bookmarked and shared). */
export type Route = { page: 'home' } | { page: 'process'; id: string } | { page: 'settings' } | { page: 'local' }

/** Reads the route from a hash such as `#/process/<id>`. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '')
  const [first, second] = path.split('/')
  if (first === 'process' && second) return { page: 'process', id: decodeURIComponent(second) }
  if (first === 'settings') return { page: 'settings' }
  if (first === 'local') return { page: 'local' }
  return { page: 'home' }
}

/** The current route, following hash changes. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash))
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash))
    window.addEventListener('hashchange', update)
    return () => window.removeEventListener('hashchange', update)
  }, [])
  return route
}
