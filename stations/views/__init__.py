"""Views of the station network, by topic: `network` (stations, contact points, liaisons), `volunteers`,
`duty` (rosters); `pages` holds what they share. Thin: look up through a selector (another station → 404),
check the capability (core.access, → 403), and let core.flow run the form through a service."""
