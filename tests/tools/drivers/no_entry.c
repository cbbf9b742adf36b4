/* A shared object that is not a miniport: it exports no DriverEntry. */
int not_a_driver_entry(void);
int not_a_driver_entry(void)
{
	return 0;
}
